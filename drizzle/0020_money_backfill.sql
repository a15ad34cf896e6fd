-- Custom SQL migration file, put your code below! ---- SPEC 18 profit facts for the orders stored before them (docs/money.md). Product costs are empty
-- here, so an order is costed when every line carries its own cost; fees are 0 until the order's
-- facts are next written (or `npm run utm -- costs recompute` applies PAYMENT_FEE_* to all).
UPDATE orders o SET cogs = c.cogs
FROM (
  SELECT i.order_id, round(sum(i.quantity * round(i.cost * o2.fx_rate, 2)), 2) AS cogs
  FROM order_items i JOIN orders o2 ON o2.order_id = i.order_id
  WHERE o2.total IS NOT NULL AND o2.fx_rate IS NOT NULL
  GROUP BY i.order_id
  HAVING bool_and(i.cost IS NOT NULL)
) c
WHERE o.order_id = c.order_id;
--> statement-breakpoint
UPDATE sessions s SET margin = a.margin, uncosted_orders = a.n, uncosted_net = a.net, uncosted_revenue = a.rev
FROM (
  SELECT session_id,
         coalesce(sum(net_less - cogs) FILTER (WHERE cogs IS NOT NULL), 0)::numeric(14,2) AS margin,
         (count(*) FILTER (WHERE cogs IS NULL))::int AS n,
         coalesce(sum(net_less) FILTER (WHERE cogs IS NULL), 0)::numeric(14,2) AS net,
         coalesce(sum(total) FILTER (WHERE cogs IS NULL), 0)::numeric(14,2) AS rev
  FROM (SELECT o.order_id, o.session_id, o.customer_id, o.total, o.cogs,
       o.total - coalesce((SELECT least(round(least(coalesce(sum(r.amount), 0), coalesce(o.total_original, o.total)) * o.fx_rate, 2), o.total)
                           FROM order_refunds r WHERE r.order_id = o.order_id), 0)
         - round(coalesce(o.shipping_cost, 0) * o.fx_rate, 2) - coalesce(o.payment_fee, 0) AS net_less
FROM orders o
WHERE o.status = 'paid' AND o.total IS NOT NULL) p WHERE session_id IS NOT NULL GROUP BY session_id
) a
WHERE s.id = a.session_id;
--> statement-breakpoint
UPDATE customers c SET margin = a.margin, uncosted_orders = a.n, uncosted_net = a.net, uncosted_revenue = a.rev
FROM (
  SELECT customer_id,
         coalesce(sum(net_less - cogs) FILTER (WHERE cogs IS NOT NULL), 0)::numeric(14,2) AS margin,
         (count(*) FILTER (WHERE cogs IS NULL))::int AS n,
         coalesce(sum(net_less) FILTER (WHERE cogs IS NULL), 0)::numeric(14,2) AS net,
         coalesce(sum(total) FILTER (WHERE cogs IS NULL), 0)::numeric(14,2) AS rev
  FROM (SELECT o.order_id, o.session_id, o.customer_id, o.total, o.cogs,
       o.total - coalesce((SELECT least(round(least(coalesce(sum(r.amount), 0), coalesce(o.total_original, o.total)) * o.fx_rate, 2), o.total)
                           FROM order_refunds r WHERE r.order_id = o.order_id), 0)
         - round(coalesce(o.shipping_cost, 0) * o.fx_rate, 2) - coalesce(o.payment_fee, 0) AS net_less
FROM orders o
WHERE o.status = 'paid' AND o.total IS NOT NULL) p GROUP BY customer_id
) a
WHERE c.customer_id = a.customer_id;
--> statement-breakpoint
-- Cells computed before the new columns hold 0 for them: every day is recomputed on its next read.
DELETE FROM rollup_days;
