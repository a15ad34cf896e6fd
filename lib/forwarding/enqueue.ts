import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";

/**
 * SPEC 19: every paid order enters the outbox in the transaction that stores it (upsertOrders,
 * which the ingest API, the batch, the Shopify and WooCommerce webhooks and the backfill all
 * write through), so an accepted order is never lost to a crash or an outage between storing and
 * sending. One row per destination enabled at that moment; the unique (destination, kind,
 * order_id) key makes a repeated or concurrent post of the order, or a later status flip back to
 * paid, a no-op: an order is queued at most once per destination, ever.
 *
 * "Paid" is the status only (not countedOrder(), which also asks for an APP_CURRENCY total): the
 * platforms get the amount as sent, in its own currency, so an order awaiting a rate goes too.
 * Orders placed more than FORWARD_MAX_AGE_DAYS ago (backfills, imports) are not queued.
 * With no destination configured this is one cheap statement that inserts nothing.
 */
export async function enqueueForwarding(tx: Db, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.execute(sql`
    INSERT INTO forward_outbox (destination, kind, order_id, event_id)
    SELECT d.destination, 'purchase', o.order_id, o.order_id
    FROM forward_destinations d
    JOIN orders o ON o.order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json)))
    WHERE d.enabled AND o.status = 'paid' AND o.placed_at > now() - make_interval(days => ${config().forwarding.maxAgeDays}::int)
    ORDER BY d.destination, o.order_id
    ON CONFLICT (destination, kind, order_id) DO NOTHING`);
}
