import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { lockSessions, refreshCustomers, refreshSessionOrderFacts } from "./facts";
import { inTransaction, uniq } from "./sql-util";

/**
 * A browser `purchase` event (SPEC 17.1: the Shopify pixel's checkout_completed; 17.2: the
 * tracker on a thank-you page; 17.3: a GA4 dataLayer purchase) names the shop's order id: it links
 * that order to the event's session in `order_links`. The first link of an order wins (ON CONFLICT
 * DO NOTHING), so a retried or repeated purchase event changes nothing.
 *
 * The order and the event arrive in either order:
 *   - the event first: when the order is stored, attribution (attribution.ts) takes the linked
 *     session as if the order had named it (`session_named`);
 *   - the order first: if it is still unattributed (session_id null), it is attached here to the
 *     linked session, as if it had named it: session_named, its visitor when it had none, and the
 *     `visitor:<id>` customer when its customer was its own order id (SPEC 2.3's fallback for an
 *     order with neither customer nor visitor). An order already attributed keeps its session:
 *     attribution is fixed when an order is first stored (3.3), and a link does not override it.
 * Session facts (paid_orders, revenue) and the customers involved are recomputed in the same
 * transaction; the triggers on orders mark the changed hours for the rollup cells.
 */
export async function linkOrder(db: Db, orderId: string, sessionId: string): Promise<{ attached: boolean }> {
  return inTransaction(db, async (tx) => {
    await tx.execute(sql`
      INSERT INTO order_links (order_id, session_id)
      SELECT ${orderId}, s.id FROM sessions s WHERE s.id = ${sessionId}::uuid
      ON CONFLICT (order_id) DO NOTHING`);
    // The link that won (maybe an earlier one), and an unattributed order it can take.
    const got = await rows<{ session_id: string; old_customer: string; customer_id: string }>(
      tx,
      sql`
      WITH target AS (
        SELECT o.order_id, o.customer_id AS old_customer, s.id AS sid, s.visitor_id AS svid
        FROM orders o
        JOIN order_links l ON l.order_id = o.order_id
        JOIN sessions s ON s.id = l.session_id
        WHERE o.order_id = ${orderId} AND o.session_id IS NULL
        FOR UPDATE OF o
      )
      UPDATE orders o SET
        session_id = t.sid,
        session_named = true,
        visitor_id = coalesce(o.visitor_id, t.svid),
        customer_id = CASE WHEN o.visitor_id IS NULL AND o.customer_id = o.order_id
                           THEN 'visitor:' || t.svid ELSE o.customer_id END,
        updated_at = now()
      FROM target t
      WHERE o.order_id = t.order_id AND o.session_id IS NULL
      RETURNING o.session_id::text AS session_id, t.old_customer::text AS old_customer, o.customer_id::text AS customer_id`,
    );
    if (got.length === 0) return { attached: false };
    const sessions = uniq(got.map((r) => r.session_id));
    await lockSessions(tx, sessions);
    await refreshSessionOrderFacts(tx, sessions);
    await refreshCustomers(tx, uniq(got.flatMap((r) => [r.old_customer, r.customer_id])));
    return { attached: true };
  });
}
