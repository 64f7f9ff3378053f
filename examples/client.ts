// A minimal ordergraph client in TypeScript: plain `fetch`, the operation
// documents of examples/operations/, and the types graphql-codegen generates
// from them and the schema (clients/generated/graphql.ts and schema.ts; types
// only, nothing of them is needed at run time).
//
//   cd clients && npm ci && node_modules/.bin/graphql-codegen --config codegen.ts
//   ORDERGRAPH_URL=http://127.0.0.1:8080/graphql ORDERGRAPH_KEY=og_… \
//     node_modules/.bin/tsx ../examples/client.ts
//
// It makes sure the channel `web` exists, places two orders (each with an
// idempotency key, and retries the first to show that a retry is safe), moves
// the first to PROCESSING and edits it with `expectedVersion`, lists both by
// walking the pages with `after`/`endCursor`, and prints a summary. Any
// transport error, GraphQL error or user error ends it with exit status 1.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
  AddChannelMutation,
  AddChannelMutationVariables,
  ChangeOrderStatusMutation,
  ChangeOrderStatusMutationVariables,
  EditOrderMutation,
  EditOrderMutationVariables,
  GetOrderQuery,
  GetOrderQueryVariables,
  ListChannelsQuery,
  ListChannelsQueryVariables,
  ListOrdersQuery,
  ListOrdersQueryVariables,
  PlaceOrderMutation,
  PlaceOrderMutationVariables,
} from '../clients/generated/graphql';
import type { CreateOrderInput, UserErrorCode } from '../clients/generated/schema';

const endpoint = process.env.ORDERGRAPH_URL ?? 'http://127.0.0.1:8080/graphql';
const key = process.env.ORDERGRAPH_KEY;
const channelCode = process.env.ORDERGRAPH_CHANNEL ?? 'web';

/** An operation document of examples/operations/, by file name. */
function operation(name: string): string {
  return readFileSync(join(__dirname, 'operations', `${name}.graphql`), 'utf8');
}

/** A refusal that the server explained: a top-level error or user errors. */
class ApiError extends Error {}

type UserErrors = ReadonlyArray<{ field: ReadonlyArray<string> | null; message: string; code: UserErrorCode }>;

/**
 * POSTs one operation and returns its `data`. HTTP failures and top-level
 * `errors` (malformed request, auth, limits) throw.
 */
async function request<TData, TVariables>(document: string, variables: TVariables): Promise<TData> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      Authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query: document, variables }),
  });
  const text = await response.text();
  let body: { data?: TData | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(`HTTP ${response.status} from ${endpoint}, not JSON: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) {
    const errors = body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ');
    throw new ApiError(`HTTP ${response.status}: ${errors}`);
  }
  if (!response.ok || body.data == null) {
    throw new ApiError(`HTTP ${response.status} without data: ${text.slice(0, 200)}`);
  }
  return body.data;
}

/** Throws when a mutation answered with user errors (nothing was written then). */
function assertNoUserErrors(what: string, userErrors: UserErrors): void {
  if (userErrors.length > 0) {
    const list = userErrors.map((e) => `${e.code} at ${(e.field ?? []).join('.')}: ${e.message}`).join('; ');
    throw new ApiError(`${what}: ${list}`);
  }
}

/** The channel with this code; created when the tenant has none. */
async function ensureChannel(code: string): Promise<string> {
  const { channels } = await request<ListChannelsQuery, ListChannelsQueryVariables>(operation('channels'), {
    first: 100,
  });
  const found = channels.nodes.find((c) => c.code === code);
  if (found) return found.id;
  const { createChannel } = await request<AddChannelMutation, AddChannelMutationVariables>(
    operation('create-channel'),
    { input: { code, name: `Channel ${code}`, connectorType: 'Online Store' } },
  );
  assertNoUserErrors(`createChannel ${code}`, createChannel.userErrors);
  console.log(`created channel ${code}`);
  return createChannel.channel!.id;
}

type PlacedOrder = NonNullable<PlaceOrderMutation['createOrder']['order']>;

/** Places an order under an idempotency key. */
async function placeOrder(input: CreateOrderInput, idempotencyKey: string): Promise<PlaceOrderMutation['createOrder']> {
  const { createOrder } = await request<PlaceOrderMutation, PlaceOrderMutationVariables>(
    operation('create-order'),
    { input, idempotencyKey },
  );
  assertNoUserErrors(`createOrder ${input.reference}`, createOrder.userErrors);
  return createOrder;
}

/** Every order whose reference starts with `prefix`, walking pages of `pageSize`. */
async function listOrders(prefix: string, pageSize: number): Promise<ListOrdersQuery['orders']['nodes']> {
  const all: ListOrdersQuery['orders']['nodes'] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const variables: ListOrdersQueryVariables = {
      first: pageSize,
      after,
      filter: { reference: { startsWith: prefix }, status: { notIn: ['CANCELLED'] } },
      sort: [{ field: 'NUMBER', direction: 'ASC' }],
    };
    const { orders }: ListOrdersQuery = await request<ListOrdersQuery, ListOrdersQueryVariables>(
      operation('list-orders'),
      variables,
    );
    all.push(...orders.nodes);
    pages += 1;
    if (!orders.pageInfo.hasNextPage) break;
    after = orders.pageInfo.endCursor;
    if (pages > 100) throw new ApiError('more than 100 pages: the cursor does not advance');
  }
  console.log(`listed ${all.length} orders in ${pages} pages of ${pageSize}`);
  return all;
}

async function main(): Promise<void> {
  if (!key) throw new ApiError('set ORDERGRAPH_KEY to an API key (the server prints the demo key on its first start)');
  await ensureChannel(channelCode);

  // One run's references and keys: running the script twice makes new orders.
  const run = randomUUID().slice(0, 8);
  const prefix = `EX-${run}-`;
  const inputs: CreateOrderInput[] = [
    {
      channel: channelCode,
      currency: 'USD',
      customer: { create: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } },
      reference: `${prefix}1`,
      shippingTotal: '4.90',
      expectedTotal: '44.90',
      items: [
        { sku: 'TSHIRT-M', name: 'T-shirt M', quantity: 2, unitPrice: '15.00' },
        { sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: '10.00' },
      ],
    },
    {
      channel: channelCode,
      currency: 'EUR',
      customer: { create: { email: 'grace@example.com', firstName: 'Grace' } },
      reference: `${prefix}2`,
      source: 'ECOMMERCE',
      items: [{ sku: 'BOOK', name: 'Notebook', quantity: 3, unitPrice: '7.50', tax: '4.28' }],
    },
  ];

  const placed: PlacedOrder[] = [];
  for (const [i, input] of inputs.entries()) {
    const result = await placeOrder(input, `example-${run}-${i + 1}`);
    placed.push(result.order!);
    console.log(`created order ${result.order!.number} (${input.reference}): ${result.order!.total} ${result.order!.currency.code}`);
  }

  // A retry with the same key and input is answered with the first order.
  const retry = await placeOrder(inputs[0], `example-${run}-1`);
  if (!retry.idempotentReplay || retry.order?.id !== placed[0].id) {
    throw new ApiError(`a retry of ${placed[0].number} was not replayed: ${JSON.stringify(retry)}`);
  }
  console.log(`retried ${placed[0].number} with its idempotency key: replayed, nothing written`);

  // Status change and edit, each guarded by the version last read.
  const first = placed[0];
  const moved = await request<ChangeOrderStatusMutation, ChangeOrderStatusMutationVariables>(
    operation('change-order-status'),
    { id: first.id, status: 'PROCESSING', paymentStatus: 'AUTHORIZED', expectedVersion: first.version },
  );
  assertNoUserErrors(`status of ${first.number}`, moved.updateOrder.userErrors);
  const afterMove = moved.updateOrder.order!;
  const edited = await request<EditOrderMutation, EditOrderMutationVariables>(operation('update-order'), {
    id: first.id,
    input: { description: 'Gift wrap, please' },
    expectedVersion: afterMove.version,
  });
  assertNoUserErrors(`edit of ${first.number}`, edited.updateOrder.userErrors);
  console.log(
    `${first.number}: ${afterMove.status}/${afterMove.paymentStatus}, next status ${afterMove.allowedTransitions.status.join(' | ')}; version ${edited.updateOrder.order!.version}`,
  );

  const { order } = await request<GetOrderQuery, GetOrderQueryVariables>(operation('order-detail'), { id: first.id });
  if (!order || order.description !== 'Gift wrap, please') {
    throw new ApiError(`${first.number} does not read back as edited: ${JSON.stringify(order)}`);
  }

  // List both, one per page, to walk the cursor.
  const listed = await listOrders(prefix, 1);
  for (const o of listed) {
    const items = o.items.map((item) => `${item.quantity}× ${item.sku}`).join(', ');
    console.log(`  ${o.number}  ${o.reference}  ${o.status.padEnd(10)} ${o.total.padStart(8)} ${o.currency.code}  ${o.customer.email}  [${items}]`);
  }
  const expected = placed.map((o) => o.number).join(',');
  const seen = listed.map((o) => o.number).join(',');
  if (seen !== expected) throw new ApiError(`listed ${seen}, expected ${expected}`);
  console.log(`summary: created 2 orders, listed 2 orders (${seen})`);
}

main().catch((err: unknown) => {
  console.error(`error: ${err instanceof ApiError ? err.message : err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
