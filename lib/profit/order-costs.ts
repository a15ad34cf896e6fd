import { sql, type SQL } from "drizzle-orm";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { anyOf } from "@/lib/ingest/sql-util";

/**
 * Each order's own cost figures (SPEC 18, schema.ts orders.cogs / payment_fee), recomputed
 * set-based for the orders a selector names, before the facts that sum them are refreshed
 * (lib/ingest/facts.ts): every path that changes an order's facts (ingest, refunds, a new rate, a
 * purchase link, erasure) passes there, and so does a product-cost import (product-costs.ts).
 *   cogs        = Σ quantity × unit cost; a line's own `cost` (the order's currency, at its rate,
 *                 to the cent) else its sku's product cost; NULL when a line has neither, when the
 *                 order has no lines, or while it awaits a rate.
 *   payment_fee = total × PAYMENT_FEE_PCT / 100 + PAYMENT_FEE_FIXED, to the cent (NULL while the
 *                 order awaits a rate); the settings in force when the order's facts are written.
 * Rows whose figures are already right are not written.
 */
export type OrderSelector = { sessions: readonly string[] } | { customers: readonly string[] } | { skus: readonly string[] } | { all: true };

function where(sel: OrderSelector): SQL {
  if ("sessions" in sel) return sql`o.session_id = ${anyOf(sel.sessions, "uuid")}`;
  if ("customers" in sel) return sql`o.customer_id = ${anyOf(sel.customers, "text")}`;
  if ("skus" in sel) return sql`exists (select 1 from order_items i where i.order_id = o.order_id and i.sku = ${anyOf(sel.skus, "text")})`;
  return sql`true`;
}

const isEmpty = (sel: OrderSelector) =>
  ("sessions" in sel && sel.sessions.length === 0) || ("customers" in sel && sel.customers.length === 0) || ("skus" in sel && sel.skus.length === 0);

/** Recomputes cogs and payment_fee; answers the changed orders' session and customer ids. */
export async function refreshOrderCosts(tx: Db, sel: OrderSelector): Promise<{ session_id: string | null; customer_id: string }[]> {
  if (isEmpty(sel)) return [];
  const { paymentFeePct, paymentFeeFixed } = config();
  return rows<{ session_id: string | null; customer_id: string }>(
    tx,
    sql`
    UPDATE orders o SET cogs = c.cogs, payment_fee = c.fee
    FROM (
      SELECT o.order_id,
             CASE WHEN o.total IS NULL OR o.fx_rate IS NULL OR count(i.position) = 0
                       OR bool_or(i.cost IS NULL AND pc.cost IS NULL) THEN NULL
                  ELSE round(sum(i.quantity * coalesce(round(i.cost * o.fx_rate, 2), pc.cost)), 2) END AS cogs,
             CASE WHEN o.total IS NULL THEN NULL
                  ELSE round(o.total * ${paymentFeePct}::numeric / 100 + ${paymentFeeFixed}::numeric, 2) END AS fee
      FROM orders o
      LEFT JOIN order_items i ON i.order_id = o.order_id
      LEFT JOIN product_costs pc ON pc.sku = i.sku
      WHERE ${where(sel)}
      GROUP BY o.order_id, o.total, o.fx_rate
    ) c
    WHERE o.order_id = c.order_id AND (o.cogs, o.payment_fee) IS DISTINCT FROM (c.cogs, c.fee)
    RETURNING o.session_id::text AS session_id, o.customer_id::text AS customer_id`,
  );
}
