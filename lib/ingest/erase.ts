import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { refreshCustomers } from "./facts";
import { inTransaction, uniq } from "./sql-util";

/**
 * SPEC 10 privacy erase: a visitor's sessions and events are deleted, and their orders stay (so
 * revenue totals are intact) but lose the visitor id; their session_id becomes null through the
 * foreign key. A customer id derived from the visitor id (`visitor:<id>`) would still name the
 * visitor, so it is replaced by an opaque one that keeps those orders together as one customer.
 */

export type EraseResult = { sessions: number; events: number; orders: number };

export async function eraseVisitor(db: Db, visitorId: string): Promise<EraseResult> {
  const anonymous = `erased:${randomUUID()}`;
  return inTransaction(db, async (tx) => {
    const [counts] = await rows<{ sessions: number; events: number }>(
      tx,
      sql`SELECT count(*)::int AS sessions, coalesce(sum(event_count), 0)::int AS events
          FROM sessions WHERE visitor_id = ${visitorId}`,
    );
    const touched = await rows<{ order_id: string; old_customer: string; customer_id: string }>(
      tx,
      sql`
      WITH target AS (
        SELECT o.order_id, o.customer_id AS old_customer FROM orders o
        WHERE o.visitor_id = ${visitorId}
           OR o.session_id IN (SELECT id FROM sessions WHERE visitor_id = ${visitorId})
        FOR UPDATE
      )
      UPDATE orders o SET
        visitor_id = CASE WHEN o.visitor_id = ${visitorId} THEN NULL ELSE o.visitor_id END,
        customer_id = CASE WHEN o.customer_id = ${"visitor:" + visitorId} THEN ${anonymous} ELSE o.customer_id END,
        updated_at = now()
      FROM target t WHERE o.order_id = t.order_id
      RETURNING o.order_id::text, t.old_customer::text, o.customer_id::text`,
    );
    await tx.execute(sql`DELETE FROM sessions WHERE visitor_id = ${visitorId}`);
    await refreshCustomers(tx, uniq(touched.flatMap((t) => [t.old_customer, t.customer_id])));
    return { sessions: counts.sessions, events: counts.events, orders: touched.length };
  });
}
