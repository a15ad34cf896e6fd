import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { skipErasedOrders } from "@/lib/forwarding/erasure";
import { rows, type Db } from "@/lib/db/client";
import { refreshCustomers } from "./facts";
import { clearTouchpointUrls } from "./landing-touchpoints";
import { inTransaction, uniq } from "./sql-util";

/**
 * SPEC 10/16 privacy erase of one visitor, so that every total stays the same:
 *  - their events are deleted (paths and properties go with them), and the order links their
 *    purchase events made;
 *  - their sessions are ANONYMISED, not deleted: each gets a fresh random visitor id of its own
 *    (`erased:<uuid>`, so two of them can no longer be linked to each other or to the visitor),
 *    landing_url, referrer (full URLs, possibly with personal query strings) and the click ids
 *    taken from the landing URL (SPEC 17.4) are cleared, and the dimensions (utm_*, country,
 *    device, browser, os, landing_path/landing_page, referrer_host, channel) and maintained facts (page_views, event_count, funnel_step, last_event_at,
 *    is_returning, paid_orders, revenue) are kept as they were;
 *  - their orders' landing_url and referrer (SPEC 17.5) are cleared, and so are their landing
 *    touchpoints' (SPEC 17.1), which keep their dimensions;
 *  - their orders lose the visitor id and keep their attributed session (so session-scoped
 *    revenue and orders are unchanged); attribution models (lib/analytics/attribution.ts) then
 *    credit that session alone, since the visitor's other sessions can no longer be found;
 *  - a customer id derived from the visitor id (`visitor:<id>`) still names the visitor, so it is
 *    replaced by one opaque id (`erased:<uuid>`) that keeps those orders together as one customer:
 *    customer counts, repeat rate, LTV and cohorts are unchanged.
 * The only figure that moves is `visitors` (distinct visitor ids): a visitor with n sessions now
 * counts as n anonymous visitors.
 */

export type EraseResult = { sessions: number; events: number; orders: number };

export async function eraseVisitor(db: Db, visitorId: string): Promise<EraseResult> {
  const anonymous = `erased:${randomUUID()}`;
  return inTransaction(db, async (tx) => {
    const sessions = await rows<{ id: string }>(
      tx,
      sql`SELECT id::text AS id FROM sessions WHERE visitor_id = ${visitorId} ORDER BY id FOR UPDATE`,
    );
    const ids = JSON.stringify(sessions.map((s) => s.id));
    const sessionSet = sql`(SELECT v::uuid FROM json_array_elements_text(${ids}::json) AS t(v))`;
    const touched = await rows<{ order_id: string; old_customer: string; customer_id: string }>(
      tx,
      sql`
      WITH target AS (
        SELECT o.order_id, o.customer_id AS old_customer FROM orders o
        WHERE o.visitor_id = ${visitorId} OR o.customer_id = ${"visitor:" + visitorId}
        ORDER BY o.order_id
        FOR UPDATE
      )
      UPDATE orders o SET
        visitor_id = CASE WHEN o.visitor_id = ${visitorId} THEN NULL ELSE o.visitor_id END,
        customer_id = CASE WHEN o.customer_id = ${"visitor:" + visitorId} THEN ${anonymous} ELSE o.customer_id END,
        landing_url = NULL, referrer = NULL,
        updated_at = now()
      FROM target t WHERE o.order_id = t.order_id
      RETURNING o.order_id::text, t.old_customer::text, o.customer_id::text`,
    );
    await clearTouchpointUrls(tx, touched.map((t) => t.order_id));
    await skipErasedOrders(tx, touched.map((t) => t.order_id));
    const [deleted] = await rows<{ n: number }>(
      tx,
      sql`WITH d AS (DELETE FROM events WHERE session_id IN ${sessionSet} RETURNING 1)
          SELECT count(*)::int AS n FROM d`,
    );
    // Links from browser purchase events (order-links.ts) go too: an order arriving later is no
    // longer tied to the visitor's sessions.
    await tx.execute(sql`DELETE FROM order_links WHERE session_id IN ${sessionSet}`);
    await tx.execute(sql`
      UPDATE sessions SET visitor_id = 'erased:' || gen_random_uuid()::text, landing_url = NULL, referrer = NULL, click_ids = NULL, consent = NULL
      WHERE id IN ${sessionSet}`);
    // The visitor's number in the rollup cache (a hash of the id) goes too; cells holding it
    // are stale from the UPDATE above and are recomputed with the anonymous ids.
    await tx.execute(sql`DELETE FROM visitor_numbers WHERE visitor_key = hashtextextended(${visitorId}::text, 0)`);
    await refreshCustomers(tx, uniq(touched.flatMap((t) => (t.old_customer === t.customer_id ? [] : [t.old_customer, t.customer_id]))));
    return { sessions: sessions.length, events: deleted.n, orders: touched.length };
  });
}
