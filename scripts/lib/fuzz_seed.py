"""Seeds a fresh ordergraph for scripts/fuzz-schemathesis and writes the
Schemathesis config that points the fuzzer at the seeded data.

Random IDs, cursors and codes only ever reach "not found": the fuzzer would
never get past the first lookup. So this makes a channel, customers and
orders through the API, reads their IDs, numbers and cursors back, and binds
them (as fuzz dictionaries) to the arguments that take them. Generated
values are still mixed in.

    python3 fuzz_seed.py URL KEY CONFIG_OUT
"""

import json
import sys
import urllib.request


def post(url, key, query, variables=None):
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    if body.get("errors"):
        raise SystemExit(f"seeding failed: {query}\n{json.dumps(body)}")
    return body["data"]


def ok(payload, name):
    if payload["userErrors"]:
        raise SystemExit(f"seeding {name} failed: {json.dumps(payload)}")
    return payload


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def main():
    url, key, out = sys.argv[1:4]
    channel = ok(
        post(url, key, 'mutation { createChannel(input: { code: "web", name: "Web" }) { channel { id } userErrors { code } } }')["createChannel"],
        "channel",
    )["channel"]["id"]
    emails = ["ada@example.com", "bob@example.com"]
    customers = [
        ok(
            post(
                url,
                key,
                "mutation($e: String!) { createCustomer(input: { email: $e }) { customer { id } userErrors { code } } }",
                {"e": email},
            )["createCustomer"],
            "customer",
        )["customer"]["id"]
        for email in emails
    ]
    orders, items = [], []
    for n, (email, currency) in enumerate([(emails[0], "USD"), (emails[1], "JPY"), (emails[0], "KWD")], start=1):
        order = ok(
            post(
                url,
                key,
                "mutation($input: CreateOrderInput!) { createOrder(input: $input) { order { id items { id } } userErrors { code } } }",
                {
                    "input": {
                        "channel": "web",
                        "currency": currency,
                        "customer": {"email": email},
                        "reference": f"PO-{n}",
                        "items": [
                            {"sku": "A", "name": "Apple", "quantity": 2, "unitPrice": "10"},
                            {"sku": "B", "name": "Banana", "quantity": 1, "unitPrice": "3"},
                        ],
                    }
                },
            )["createOrder"],
            "order",
        )["order"]
        orders.append(order["id"])
        items.extend(item["id"] for item in order["items"])
    pages = post(
        url,
        key,
        """{
          orders(first: 1) { pageInfo { endCursor } }
          byTotal: orders(first: 1, sort: [{ field: TOTAL, direction: ASC }]) { pageInfo { endCursor } }
          customers(first: 1) { pageInfo { endCursor } }
          channels(first: 1) { pageInfo { endCursor } }
          currencies(first: 1) { pageInfo { endCursor } }
        }""",
    )
    cursors = [page["pageInfo"]["endCursor"] for page in pages.values()]

    ids = orders + items + customers + [channel]
    dictionaries = {
        "ids": ids,
        "orders": orders,
        "items": items,
        "customers": customers,
        "channels": [channel, "web", "WEB", "nope"],
        "currencies": ["USD", "JPY", "KWD", "EUR", "usd", "XXX"],
        "emails": emails + ["ADA@Example.com", "nobody@example.com"],
        "numbers": ["ORD-000001", "ORD-000003", "ORD-999999"],
        "references": ["PO-1", "PO-2", "PO-3"],
        "cursors": cursors,
        "pages": [1, 2, 5, 20, 100],
        "quantities": [1, 2, 3, 250],
    }
    # GraphQL argument paths: `Type.field.argument.path`, `*` for any type or field.
    bindings = {
        "*.*.id": ("ids", 0.8),
        "Query.order.id": ("orders", 0.8),
        "Mutation.updateOrder.id": ("orders", 0.8),
        "Mutation.archiveOrder.id": ("orders", 0.8),
        "Mutation.unarchiveOrder.id": ("orders", 0.8),
        "Mutation.addOrderItems.orderId": ("orders", 0.8),
        "Mutation.updateOrderItem.id": ("items", 0.8),
        "Mutation.removeOrderItem.id": ("items", 0.8),
        "Query.customer.id": ("customers", 0.8),
        "Mutation.updateCustomer.id": ("customers", 0.8),
        "Query.nodes.ids[*]": ("ids", 0.8),
        "Query.orderByNumber.number": ("numbers", 0.8),
        "Query.orderByReference.reference": ("references", 0.8),
        "Mutation.createOrder.input.channel": ("channels", 0.8),
        "Mutation.createOrders.inputs[*].channel": ("channels", 0.8),
        "Mutation.createOrder.input.currency": ("currencies", 0.8),
        "Mutation.createOrders.inputs[*].currency": ("currencies", 0.8),
        "Mutation.createOrder.input.customer.email": ("emails", 0.8),
        "Mutation.createOrders.inputs[*].customer.email": ("emails", 0.8),
        "Mutation.createOrder.input.customer.id": ("customers", 0.8),
        "Mutation.createOrders.inputs[*].customer.id": ("customers", 0.8),
        "Mutation.createOrder.input.customer.create.email": ("emails", 0.8),
        "Mutation.createCustomer.input.email": ("emails", 0.5),
        "Mutation.createOrder.input.items[*].quantity": ("quantities", 0.8),
        "Mutation.createOrders.inputs[*].items[*].quantity": ("quantities", 0.8),
        "Mutation.addOrderItems.items[*].quantity": ("quantities", 0.8),
        "*.*.first": ("pages", 0.7),
        "*.*.last": ("pages", 0.7),
        "*.*.after": ("cursors", 0.7),
        "*.*.before": ("cursors", 0.7),
        "*.*.filter.customerId.in[*]": ("customers", 0.8),
        "*.*.filter.id.in[*]": ("orders", 0.8),
        "*.*.filter.channelCode.eq": ("channels", 0.8),
        "*.*.filter.currencyCode.eq": ("currencies", 0.8),
        "*.*.filter.customerEmail.eq": ("emails", 0.8),
        "*.*.filter.reference.eq": ("references", 0.8),
        "*.*.filter.number.eq": ("numbers", 0.8),
    }
    lines = []
    for name, values in dictionaries.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_list(values)}", ""]
    lines.append("[parameters]")
    for path, (name, probability) in bindings.items():
        lines.append(f'"{path}" = {{ dictionary = "{name}", probability = {probability} }}')
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"seeded: 1 channel, {len(customers)} customers, {len(orders)} orders with {len(items)} items")


if __name__ == "__main__":
    main()
