-- Q2 as one hand-written statement: one order by id with its global ID, number,
-- status, total, currency code, customer email, channel code and name, and items.
-- @TENANT@ and @ORDER_ID@ are replaced by bench/run.sh.
SELECT json_build_object(
    'id', rtrim(translate(encode(convert_to('Order:' || o.id, 'UTF8'), 'base64'), '+/', '-_'), '='),
    'number', o.number,
    'status', o.status,
    'total', round(o.total::numeric / 10000, cur.exponent)::text,
    'currency', json_build_object('code', cur.code),
    'customer', json_build_object('email', c.email),
    'channel', json_build_object('code', ch.code, 'name', ch.name),
    'items', (SELECT COALESCE(json_agg(json_build_object(
                      'sku', i.sku,
                      'quantity', i.quantity,
                      'total', round(i.total::numeric / 10000, cur.exponent)::text)
                  ORDER BY i.position), '[]'::json)
              FROM order_items i
              WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id)
) AS data
FROM orders o
JOIN currencies cur ON cur.id = o.currency_id
JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
JOIN channels ch ON ch.tenant_id = o.tenant_id AND ch.id = o.channel_id
WHERE o.tenant_id = @TENANT@ AND o.id = @ORDER_ID@;
