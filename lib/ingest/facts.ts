import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { countedOrder } from "@/lib/db/counted-orders";
import { orderRefundedSql } from "@/lib/db/refunded";
import { marginFactsAgg } from "@/lib/profit/margin-sql";
import { refreshOrderCosts } from "@/lib/profit/order-costs";
import { FUNNEL_STEP } from "./schemas";
import { anyOf, uniq as uniqIds } from "./sql-util";

/** FUNNEL_STEP (lib/ingest/schemas.ts) as SQL over `e.type`: the one step map, written once. */
const FUNNEL_STEP_CASE = sql.raw(
  `CASE e.type ${Object.entries(FUNNEL_STEP)
    .filter(([, step]) => step > 0)
    .map(([type, step]) => `WHEN '${type}' THEN ${step}`)
    .join(" ")} ELSE 0 END`,
);

/**
 * The maintained facts (docs/architecture.md), kept true in the writer's transaction and recomputed
 * set-based for a list of ids (one statement per kind, however many ids), so they stay right when
 * data arrives out of order: a backfilled older session, an event for an old session, a refund.
 *
 * Concurrency: a recomputation reads a snapshot, so before it the rows it overwrites are locked
 * (lockSessions / lockCustomers, always in key order so writers queue instead of deadlocking);
 * the recomputing statement that follows then sees everything committed before the lock.
 */

/** Row-locks existing sessions (ids already locked by this transaction's own writes may be left out). */
export async function lockSessions(tx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`
    SELECT id FROM sessions WHERE id = ${anyOf(ids, "uuid")} ORDER BY id FOR NO KEY UPDATE`);
}

/** page_views, event_count, funnel_step and last_event_at from the sessions' events. */
export async function refreshSessionEventFacts(tx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const json = JSON.stringify(ids);
  await tx.execute(sql`
    UPDATE sessions s SET
      page_views = a.pv,
      event_count = a.n,
      funnel_step = a.step,
      last_event_at = greatest(s.started_at, coalesce(a.last, s.started_at))
    FROM (
      SELECT ids.id,
             count(e.id)::int AS n,
             (count(e.id) FILTER (WHERE e.type = 'page_view'))::int AS pv,
             coalesce(max(${FUNNEL_STEP_CASE}), 0)::smallint AS step,
             max(e.occurred_at) AS last
      FROM (SELECT DISTINCT v::uuid AS id FROM json_array_elements_text(${json}::json) AS t(v)) ids
      LEFT JOIN events e ON e.session_id = ids.id
      GROUP BY ids.id
    ) a
    WHERE s.id = a.id
      AND (s.page_views, s.event_count, s.funnel_step, s.last_event_at)
          IS DISTINCT FROM (a.pv, a.n, a.step, greatest(s.started_at, coalesce(a.last, s.started_at)))`);
}

/**
 * paid_orders, revenue and refunded (SPEC 17.5: the refunds of those orders, whenever dated) from
 * the paid orders attributed to the sessions (a refunded status un-converts); and their profit
 * facts (SPEC 18), after the orders' own costs are brought up to date.
 */
export async function refreshSessionOrderFacts(tx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await refreshOrderCosts(tx, { sessions: ids });
  const json = JSON.stringify(ids);
  await tx.execute(sql`
    UPDATE sessions s SET paid_orders = a.n, revenue = a.rev, refunded = a.refunded,
      margin = a.margin, uncosted_orders = a.uncosted_orders, uncosted_net = a.uncosted_net, uncosted_revenue = a.uncosted_revenue
    FROM (
      SELECT ids.id, count(o.order_id)::int AS n, coalesce(sum(o.total), 0)::numeric(14,2) AS rev,
             coalesce(sum(${orderRefundedSql("o")}), 0)::numeric(14,2) AS refunded, ${marginFactsAgg("o")}
      FROM (SELECT DISTINCT v::uuid AS id FROM json_array_elements_text(${json}::json) AS t(v)) ids
      LEFT JOIN orders o ON o.session_id = ids.id AND ${countedOrder("o")}
      GROUP BY ids.id
    ) a
    WHERE s.id = a.id AND (s.paid_orders, s.revenue, s.refunded, s.margin, s.uncosted_orders, s.uncosted_net, s.uncosted_revenue)
      IS DISTINCT FROM (a.n, a.rev, a.refunded, a.margin, a.uncosted_orders, a.uncosted_net, a.uncosted_revenue)`);
}

/**
 * is_returning for every session of the visitors: returning when the visitor has a session that
 * started earlier. All of a visitor's sessions are recomputed, so a backfilled older session
 * flips the later ones.
 */
export async function refreshReturning(tx: Db, visitorIds: readonly string[]): Promise<void> {
  if (visitorIds.length === 0) return;
  await tx.execute(sql`
    UPDATE sessions s SET is_returning = x.r
    FROM (
      SELECT id, started_at > min(started_at) OVER (PARTITION BY visitor_id) AS r
      FROM sessions WHERE visitor_id = ${anyOf(visitorIds, "text")}
    ) x
    WHERE s.id = x.id AND s.is_returning IS DISTINCT FROM x.r`);
}

/**
 * A customer's acquisition dimensions: its first order's session's, else that order's landing
 * touchpoint's (SPEC 3.2, 17.1), else (none). One list, so a new dimension is added once.
 */
const ACQUISITION_COLUMNS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "country", "device", "browser", "os", "landing_page", "referrer_host", "channel"] as const;
const ACQUISITION_SET = sql.raw(ACQUISITION_COLUMNS.map((c) => `${c} = coalesce(s.${c}, t.${c}, '(none)')`).join(",\n      "));

/**
 * The customers table (SPEC 3.2) for the given customer ids: one row per customer with at least
 * one paid order, its first paid order, acquisition session and that session's dimensions (the
 * nine of SPEC 3.1 plus landing_page and referrer_host; without a session the first order's landing
 * touchpoint's, SPEC 17.1; all "(none)" when it has neither), paid
 * orders and revenue; rows with no paid order left are deleted.
 */
export async function refreshCustomers(tx: Db, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  // Unattributed orders have no session: their costs are brought up to date here (SPEC 18); an
  // attributed order whose costs changed only now puts its session's facts right too.
  const recosted = uniqIds((await refreshOrderCosts(tx, { customers: customerIds })).map((r) => r.session_id));
  if (recosted.length) {
    await lockSessions(tx, recosted);
    await refreshSessionOrderFacts(tx, recosted);
  }
  const json = JSON.stringify([...customerIds].sort());
  // Lock: an upsert takes the row lock even for an existing customer, and makes a placeholder row
  // (filled or deleted below) for a new one, so a concurrent writer of the same customer waits.
  await tx.execute(sql`
    INSERT INTO customers (customer_id, first_order_id, first_order_at, last_order_at)
    SELECT DISTINCT v, '', now(), now() FROM json_array_elements_text(${json}::json) AS t(v) ORDER BY v
    ON CONFLICT (customer_id) DO UPDATE SET paid_orders = customers.paid_orders`);
  await tx.execute(sql`
    WITH ids AS (SELECT DISTINCT v AS customer_id FROM json_array_elements_text(${json}::json) AS t(v)),
    paid AS (
      SELECT o.* FROM orders o JOIN ids USING (customer_id) WHERE ${countedOrder("o")}
    ),
    agg AS (
      SELECT customer_id, count(*)::int AS n, sum(total)::numeric(14,2) AS rev, max(placed_at) AS last,
             sum(${orderRefundedSql("paid")})::numeric(14,2) AS refunded, ${marginFactsAgg("paid")}
      FROM paid GROUP BY customer_id
    ),
    firsts AS (
      SELECT DISTINCT ON (customer_id) customer_id, order_id, placed_at, session_id
      FROM paid ORDER BY customer_id, placed_at, order_id
    ),
    gone AS (
      DELETE FROM customers c USING ids
      WHERE c.customer_id = ids.customer_id
        AND NOT EXISTS (SELECT 1 FROM agg WHERE agg.customer_id = c.customer_id)
    )
    UPDATE customers c SET
      first_order_id = f.order_id,
      first_order_at = f.placed_at,
      last_order_at = a.last,
      acquisition_session_id = s.id,
      ${ACQUISITION_SET},
      paid_orders = a.n,
      revenue = a.rev,
      refunded = a.refunded,
      margin = a.margin,
      uncosted_orders = a.uncosted_orders,
      uncosted_net = a.uncosted_net,
      uncosted_revenue = a.uncosted_revenue
    FROM firsts f
    JOIN agg a USING (customer_id)
    LEFT JOIN sessions s ON s.id = f.session_id
    LEFT JOIN order_touchpoints t ON t.order_id = f.order_id AND s.id IS NULL
    WHERE c.customer_id = f.customer_id`);
}
