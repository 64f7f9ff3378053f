-- Q3 as one hand-written statement: the default list (newest first, archived
-- hidden) 20,000 rows deep: the 50 rows after row 20,000, keyset by a row-value
-- comparison on (created_at, id), which is an index range on ix_orders_tenant_created.
-- @TENANT@, @AFTER_TS@ (created_at of row 20,000) and @AFTER_ID@ are replaced by bench/run.sh.
WITH page AS (
    SELECT o.id, o.number, o.status, o.total, o.currency_id, o.customer_id, o.created_at
    FROM orders o
    WHERE o.tenant_id = @TENANT@
      AND o.archived_at IS NULL
      AND (o.created_at, o.id) < ('@AFTER_TS@'::timestamptz, @AFTER_ID@)
    ORDER BY o.created_at DESC, o.id DESC
    LIMIT 51
), shown AS (
    SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT 50
)
SELECT json_build_object(
    'nodes', COALESCE((
        SELECT json_agg(json_build_object(
            'number', s.number,
            'status', s.status,
            'total', round(s.total::numeric / 10000, cur.exponent)::text,
            'currency', json_build_object('code', cur.code),
            'customer', json_build_object('email', c.email),
            'items', (SELECT COALESCE(json_agg(json_build_object(
                              'sku', i.sku,
                              'quantity', i.quantity,
                              'total', round(i.total::numeric / 10000, cur.exponent)::text)
                          ORDER BY i.position), '[]'::json)
                      FROM order_items i
                      WHERE i.tenant_id = @TENANT@ AND i.order_id = s.id)
        ) ORDER BY s.created_at DESC, s.id DESC)
        FROM shown s
        JOIN currencies cur ON cur.id = s.currency_id
        JOIN customers c ON c.tenant_id = @TENANT@ AND c.id = s.customer_id
    ), '[]'::json),
    'pageInfo', json_build_object(
        'hasNextPage', (SELECT count(*) > 50 FROM page),
        'endCursor', (SELECT json_build_array((extract(epoch FROM created_at) * 1000000)::bigint, id)
                      FROM shown ORDER BY created_at, id LIMIT 1))
) AS data;
