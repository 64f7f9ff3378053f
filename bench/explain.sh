#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of the SQL the server issues for the order lists,
# on PostgreSQL with 100,000 seeded orders. See bench/EXPLAIN.md.
#
#   bench/explain.sh                 # drops and recreates database ordergraph_explain
#   PG_ADMIN_URL=postgres://u@host:5432 bench/explain.sh
#
# The statements below are copied literally from the PostgreSQL statement log
# of `ordergraph serve` (log_statement = 'all'), with the logged parameters
# substituted. They depend on the seed being deterministic: tenant "demo" is
# id 1 and the 20,000th row of the default list is id 80001; the script checks
# this and stops if it is not so.
set -euo pipefail

cd "$(dirname "$0")/.."

PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
DB=ordergraph_explain
DB_URL="$PG_ADMIN_URL/$DB"
ORDERS=100000
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN="$TARGET_DIR/release/ordergraph"

if [[ ! -x "$BIN" ]]; then
    echo "== building $BIN"
    cargo build --release
fi

admin() { psql "$PG_ADMIN_URL/postgres" -X -q -v ON_ERROR_STOP=1 "$@"; }
db() { psql "$DB_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }
explain() {
    local label=$1 sql
    sql=$(cat)
    echo
    echo "== $label"
    echo "$sql"
    db -c "EXPLAIN (ANALYZE, BUFFERS) $sql"
}

echo "== machine: $(nproc) CPUs; $(admin -Atc 'SELECT version()')"
echo "== date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"

admin -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

echo "== seed: $BIN seed --orders $ORDERS"
start=$(date +%s.%N)
"$BIN" seed --orders "$ORDERS" --no-progress --database-url "$DB_URL"
echo
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$ORDERS" 'BEGIN { printf "== seed time: %d orders in %.1f s\n", n, e - s }'

db -c "ANALYZE"
db -c "SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_items) AS items, (SELECT count(*) FROM customers) AS customers"

# The literals below assume these values.
tenant=$(db -Atc "SELECT id FROM tenants WHERE name = 'demo'")
row20k=$(db -Atc "SELECT created_at || '|' || id FROM orders WHERE tenant_id = 1 AND archived_at IS NULL ORDER BY created_at DESC, id DESC OFFSET 19999 LIMIT 1")
row50k=$(db -Atc "SELECT created_at || '|' || id FROM orders WHERE tenant_id = 1 AND archived_at IS NULL ORDER BY created_at DESC, id DESC OFFSET 49999 LIMIT 1")
row99950=$(db -Atc "SELECT created_at || '|' || id FROM orders WHERE tenant_id = 1 AND archived_at IS NULL ORDER BY created_at DESC, id DESC OFFSET 99949 LIMIT 1")
if [[ "$tenant" != 1 || "$row20k" != "2025-08-07 00:00:00.123+00|80001" \
    || "$row50k" != "2024-12-31 00:00:00.413+00|50001" \
    || "$row99950" != "2024-01-01 08:45:36.393+00|51" ]]; then
    echo "the seed changed (tenant $tenant, rows 20,000 / 50,000 / 99,950 = $row20k / $row50k / $row99950): recapture the statements" >&2
    exit 1
fi

explain "a. orders(first: 50): default list, newest first" <<'SQL'
SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = 1 AND "orders"."archived_at" IS NULL ORDER BY "orders"."created_at" DESC, "orders"."id" DESC LIMIT 51;
SQL

explain "b. orders(first: 50, filter: status in [PENDING, PROCESSING], total > 100.00, createdAt in [2025-01-01, 2025-07-01))" <<'SQL'
SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = 1 AND "orders"."status" IN ('PENDING', 'PROCESSING') AND "orders"."total" > 1000000 AND "orders"."created_at" >= '2025-01-01 00:00:00+00' AND "orders"."created_at" < '2025-07-01 00:00:00+00' AND "orders"."archived_at" IS NULL ORDER BY "orders"."created_at" DESC, "orders"."id" DESC LIMIT 51;
SQL

explain "c. orders(first: 50, after: <cursor of row 20,000>): default list 20,000 rows deep" <<'SQL'
SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = 1 AND "orders"."archived_at" IS NULL AND ("orders"."created_at" < '2025-08-07 00:00:00.123+00' OR ("orders"."created_at" = '2025-08-07 00:00:00.123+00' AND "orders"."id" < 80001)) ORDER BY "orders"."created_at" DESC, "orders"."id" DESC LIMIT 51;
SQL

explain "d1. nested items of the page of (a)" <<'SQL'
SELECT "order_items"."id", "order_items"."tenant_id", "order_items"."order_id", "order_items"."position", "order_items"."sku", "order_items"."name", "order_items"."barcode", "order_items"."quantity", "order_items"."unit_price", "order_items"."subtotal", "order_items"."discount_total", "order_items"."tax_total", "order_items"."total", "order_items"."metadata", "order_items"."created_at", "order_items"."updated_at" FROM "order_items" WHERE "order_items"."tenant_id" = 1 AND "order_items"."order_id" IN (100000, 99951, 99994, 99953, 99983, 99973, 99975, 99966, 99958, 99988, 99993, 99957, 99989, 99974, 99960, 99967, 99997, 99987, 99984, 99977, 99956, 99996, 99972, 99952, 99969, 99982, 99991, 99965, 99979, 99978, 99998, 99995, 99959, 99964, 99962, 99955, 99999, 99992, 99986, 99970, 99976, 99985, 99971, 99961, 99963, 99968, 99981, 99980, 99990, 99954) ORDER BY "order_items"."order_id" ASC, "order_items"."position" ASC;
SQL

explain "d2. nested customers of the page of (a)" <<'SQL'
SELECT "customers"."id", "customers"."tenant_id", "customers"."email", "customers"."email_lower", "customers"."first_name", "customers"."last_name", "customers"."phone", "customers"."created_at", "customers"."updated_at" FROM "customers" WHERE "customers"."tenant_id" = 1 AND "customers"."id" IN (16623, 15851, 18153, 12336, 83, 4921, 12797, 11713, 2666, 2832, 2023, 18575, 15814, 6822, 17087, 10105, 16983, 15651, 5598, 11750, 16708, 19549, 18788, 2476, 12323, 2534, 180, 17312, 19061, 1251, 12565, 11435, 2438, 9601, 17821, 240, 19455, 16546, 18397, 17778, 7658, 18036, 12706, 1542, 15249, 2924, 14077, 2861, 6181, 1119);
SQL

explain "d3. nested channels of the page of (a)" <<'SQL'
SELECT "channels"."id", "channels"."tenant_id", "channels"."code", "channels"."name", "channels"."url", "channels"."connector_type", "channels"."connector_code", "channels"."created_at", "channels"."updated_at" FROM "channels" WHERE "channels"."tenant_id" = 1 AND "channels"."id" IN (1, 4, 3, 2);
SQL

E_SQL=$(cat <<'SQL'
SELECT COUNT(*) AS "n" FROM (SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = 1 AND "orders"."status" IN ('PENDING', 'PROCESSING') AND "orders"."total" > 1000000 AND "orders"."created_at" >= '2025-01-01 00:00:00+00' AND "orders"."created_at" < '2025-07-01 00:00:00+00' AND "orders"."archived_at" IS NULL) AS "counted";
SQL
)
explain "e. totalCount of (b)" <<<"$E_SQL"

# ---- Proposals (bench/EXPLAIN.md); nothing here changes the schema for good.

explain "proposal 1: (c) with a redundant bound on the leading sort key (created_at <= ts)" <<'SQL'
SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = 1 AND "orders"."archived_at" IS NULL AND "orders"."created_at" <= '2025-08-07 00:00:00.123+00' AND ("orders"."created_at" < '2025-08-07 00:00:00.123+00' OR ("orders"."created_at" = '2025-08-07 00:00:00.123+00' AND "orders"."id" < 80001)) ORDER BY "orders"."created_at" DESC, "orders"."id" DESC LIMIT 51;
SQL

echo
echo "== proposal 1, deeper: (c) as logged (c_logged) and with the bound (c_bound), 50,000 and"
echo "   99,950 rows deep, as prepared statements (the server's are prepared by sqlx) with"
echo "   custom and with generic plans"
db <<'SQL'
PREPARE c_logged AS SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = $1 AND "orders"."archived_at" IS NULL AND ("orders"."created_at" < $2 OR ("orders"."created_at" = $3 AND "orders"."id" < $4)) ORDER BY "orders"."created_at" DESC, "orders"."id" DESC LIMIT $5;
PREPARE c_bound AS SELECT "orders"."id", "orders"."tenant_id", "orders"."number", "orders"."number_seq", "orders"."reference", "orders"."external_id", "orders"."description", "orders"."source", "orders"."locale", "orders"."payment_reference", "orders"."idempotency_key", "orders"."idempotency_hash", "orders"."status", "orders"."payment_status", "orders"."fulfillment_status", "orders"."delivery_method", "orders"."shipping_method", "orders"."channel_id", "orders"."currency_id", "orders"."customer_id", "orders"."subtotal", "orders"."order_discount", "orders"."order_tax", "orders"."discount_total", "orders"."shipping_total", "orders"."tax_total", "orders"."total", "orders"."billing_address", "orders"."shipping_address", "orders"."metadata", "orders"."created_at", "orders"."updated_at", "orders"."archived_at", "orders"."version" FROM "orders" WHERE "orders"."tenant_id" = $1 AND "orders"."archived_at" IS NULL AND "orders"."created_at" <= $2 AND ("orders"."created_at" < $2 OR ("orders"."created_at" = $3 AND "orders"."id" < $4)) ORDER BY "orders"."created_at" DESC, "orders"."id" DESC LIMIT $5;
SET plan_cache_mode = force_custom_plan;
\echo '-- c_logged, 50,000 deep, custom plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_logged(1, '2024-12-31 00:00:00.413+00', '2024-12-31 00:00:00.413+00', 50001, 51);
\echo '-- c_bound, 50,000 deep, custom plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_bound(1, '2024-12-31 00:00:00.413+00', '2024-12-31 00:00:00.413+00', 50001, 51);
\echo '-- c_logged, 99,950 deep, custom plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_logged(1, '2024-01-01 08:45:36.393+00', '2024-01-01 08:45:36.393+00', 51, 51);
\echo '-- c_bound, 99,950 deep, custom plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_bound(1, '2024-01-01 08:45:36.393+00', '2024-01-01 08:45:36.393+00', 51, 51);
SET plan_cache_mode = force_generic_plan;
\echo '-- c_logged, 50,000 deep, generic plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_logged(1, '2024-12-31 00:00:00.413+00', '2024-12-31 00:00:00.413+00', 50001, 51);
\echo '-- c_bound, 50,000 deep, generic plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_bound(1, '2024-12-31 00:00:00.413+00', '2024-12-31 00:00:00.413+00', 50001, 51);
\echo '-- c_logged, 99,950 deep, generic plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_logged(1, '2024-01-01 08:45:36.393+00', '2024-01-01 08:45:36.393+00', 51, 51);
\echo '-- c_bound, 99,950 deep, generic plan'
EXPLAIN (ANALYZE, BUFFERS) EXECUTE c_bound(1, '2024-01-01 08:45:36.393+00', '2024-01-01 08:45:36.393+00', 51, 51);
SQL

echo
echo "== proposal 2: (e) with a covering index (created inside a transaction that is rolled back)"
# An index-only scan needs the visibility map, which a freshly seeded table
# lacks until (auto)vacuum: vacuum first and measure (e) again as the baseline.
db -c "VACUUM (ANALYZE) orders"
echo "-- (e) before, after VACUUM:"
db -c "EXPLAIN (ANALYZE, BUFFERS) $E_SQL"
echo "-- (e) with ix_orders_tenant_status_cov:"
db <<SQL
BEGIN;
CREATE INDEX ix_orders_tenant_status_cov ON orders (tenant_id, status, created_at) INCLUDE (total, archived_at);
EXPLAIN (ANALYZE, BUFFERS) $E_SQL
ROLLBACK;
SQL

echo
echo "== done; database $DB is kept (drop it with: psql $PG_ADMIN_URL/postgres -c 'DROP DATABASE $DB')"
