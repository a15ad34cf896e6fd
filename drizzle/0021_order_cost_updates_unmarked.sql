-- An order's own cost figures (cogs, payment_fee; lib/profit/order-costs.ts) are rewritten in a
-- second statement after every order write. Attribution's day cells credit totals, never costs,
-- so an update that changes only those columns (or nothing) must not mark its hour for a
-- recompute: the orders update trigger now marks the rows whose other columns changed.
DROP TRIGGER IF EXISTS orders_mark_update ON orders;
--> statement-breakpoint
CREATE FUNCTION utmd_mark_order_update_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', x.placed_at AT TIME ZONE 'UTC'), 1
  FROM (
    SELECT n.placed_at AS placed_at, o.placed_at AS old_placed_at
    FROM new_rows n JOIN old_rows o ON o.order_id = n.order_id
    WHERE (to_jsonb(n) - 'cogs' - 'payment_fee') IS DISTINCT FROM (to_jsonb(o) - 'cogs' - 'payment_fee')
  ) changed
  CROSS JOIN LATERAL (VALUES (changed.placed_at), (changed.old_placed_at)) AS x(placed_at);
  -- An update that changed an order's id: both sides, as before.
  INSERT INTO order_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', y.placed_at AT TIME ZONE 'UTC'), 1
  FROM (
    SELECT n.placed_at FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.order_id = n.order_id)
    UNION ALL
    SELECT o.placed_at FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.order_id = o.order_id)
  ) y;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_mark_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_order_update_hours();
--> statement-breakpoint
-- The same for sessions: an order's refunds and cost figures only move its session's facts
-- (refunded, margin, uncosted_*), which no attribution credit reads (TOUCHPOINT_FACT_COLUMNS).
CREATE OR REPLACE FUNCTION utmd_mark_touchpoint_update_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO touchpoint_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', t AT TIME ZONE 'UTC'), 1
  FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL unnest(ARRAY[o.started_at, n.started_at]) t
  WHERE t IS NOT NULL
    AND (o.id IS NULL OR n.id IS NULL
         OR (to_jsonb(o) - ARRAY['last_event_at', 'page_views', 'event_count', 'funnel_step', 'is_returning', 'paid_orders', 'revenue', 'refunded', 'margin', 'uncosted_orders', 'uncosted_net', 'uncosted_revenue'])
            IS DISTINCT FROM
            (to_jsonb(n) - ARRAY['last_event_at', 'page_views', 'event_count', 'funnel_step', 'is_returning', 'paid_orders', 'revenue', 'refunded', 'margin', 'uncosted_orders', 'uncosted_net', 'uncosted_revenue']));
  RETURN NULL;
END $$;
