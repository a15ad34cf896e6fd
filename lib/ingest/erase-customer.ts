import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { skipErasedOrders } from "@/lib/forwarding/erasure";
import { rows, type Db } from "@/lib/db/client";
import { eraseVisitor } from "./erase";
import { refreshCustomers } from "./facts";
import { inTransaction, uniq } from "./sql-util";

/**
 * Erasing a shop customer (Shopify `customers/redact`, SPEC 17.1 with the rules of SPEC 16), so
 * that every total stays the same:
 *  - the customer's orders are found by customer id (the shop's id, and the `email:<sha256>` id a
 *    guest order gets), by the hashed e-mail and by the order ids the request names;
 *  - those orders keep total, status, dates, items, refunds and attributed session, but lose
 *    everything that names the person: the customer id becomes ONE opaque `erased:<uuid>` (so
 *    they still count as one customer in customer counts, repeat rate, LTV and cohorts), the
 *    visitor id and the hashed e-mail and phone are cleared, and the landing URL and referrer
 *    (which may carry personal query strings) are cleared on the order and its landing touchpoint;
 *  - each visitor those orders named is erased as SPEC 16 erases a visitor (eraseVisitor: events
 *    deleted, sessions anonymised with their dimensions and facts kept).
 * Runs in the caller's transaction when given one (nested transactions are savepoints).
 */

export type CustomerEraseResult = { orders: number; visitors: number };

export async function eraseCustomer(
  db: Db,
  who: { customerIds: readonly string[]; emailSha256?: string; orderIds?: readonly string[] },
): Promise<CustomerEraseResult> {
  const customerIds = uniq(who.customerIds);
  const orderIds = uniq(who.orderIds ?? []);
  const email = who.emailSha256 ?? null;
  if (customerIds.length === 0 && orderIds.length === 0 && !email) return { orders: 0, visitors: 0 };
  const anonymous = `erased:${randomUUID()}`;
  return inTransaction(db, async (tx) => {
    const touched = await rows<{ order_id: string; old_customer: string; old_visitor: string | null }>(
      tx,
      sql`
      WITH target AS (
        SELECT o.order_id, o.customer_id AS old_customer, o.visitor_id AS old_visitor FROM orders o
        WHERE o.customer_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(customerIds)}::json)))
           OR o.order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json)))
           OR (${email}::text IS NOT NULL AND o.email_sha256 = ${email})
        ORDER BY o.order_id
        FOR UPDATE
      )
      UPDATE orders o SET
        customer_id = ${anonymous}, visitor_id = NULL, email_sha256 = NULL, phone_sha256 = NULL,
        landing_url = NULL, referrer = NULL, updated_at = now()
      FROM target t WHERE o.order_id = t.order_id
      RETURNING o.order_id::text AS order_id, t.old_customer::text AS old_customer, t.old_visitor::text AS old_visitor`,
    );
    if (touched.length === 0) return { orders: 0, visitors: 0 };
    const ids = JSON.stringify(touched.map((t) => t.order_id));
    // The landing touchpoint keeps its dimensions (source, channel, landing page...), loses the URLs.
    await tx.execute(sql`
      UPDATE order_touchpoints SET landing_url = NULL, referrer = NULL
      WHERE order_id = ANY(ARRAY(SELECT json_array_elements_text(${ids}::json)))`);
    await skipErasedOrders(tx, touched.map((t) => t.order_id));
    const visitors = uniq(touched.map((t) => t.old_visitor));
    for (const v of visitors) await eraseVisitor(tx, v);
    await refreshCustomers(tx, uniq([...touched.map((t) => t.old_customer), anonymous]));
    return { orders: touched.length, visitors: visitors.length };
  });
}
