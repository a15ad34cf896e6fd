import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";

/**
 * Erasure (SPEC 10/16, Shopify customers/redact) also stops what has not gone out yet: the
 * erased person's waiting conversion events are settled as skipped, so their hashed contacts and
 * click ids are not sent to an ad platform after they asked to be forgotten. A row a sender holds
 * right now loses its claim token, so that sender's late acknowledgement changes nothing.
 */
export async function skipErasedOrders(tx: Db, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.execute(sql`
    UPDATE forward_outbox SET status = 'skipped', claim_token = NULL, last_error = 'erased on request', last_error_at = now()
    WHERE order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json))) AND status IN ('queued', 'sending')`);
}
