import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { ingestOrders } from "@/lib/ingest/orders";
import { instantOrNull, newerApplied, receiveDelivery, type DeliveryAnswer, type Processed } from "../deliveries";
import { parseAs, parseWebhookJson } from "../webhook-json";
import { mapWooOrder, wooDeletedSchema, wooGmt, wooOrderSchema } from "./order";

/**
 * WooCommerce order webhooks (SPEC 17.2), after the route has verified the signature. The full
 * order of order.created / order.updated / order.restored goes through ingestOrders like the
 * ingest API (order.restored re-reads the status the restored order has); order.deleted carries
 * only the id and marks a known order cancelled (an unknown one is ignored). Other topics are
 * acknowledged and counted as ignored.
 */

export const WOO_TOPICS = ["order.created", "order.updated", "order.deleted", "order.restored"] as const;

export type WooDelivery = { deliveryId: string; topic: string; shop: string | null };

export async function receiveWooWebhook(db: Db, d: WooDelivery, body: string): Promise<DeliveryAnswer> {
  const topic = d.topic.trim().toLowerCase();
  return receiveDelivery(db, { platform: "woocommerce", deliveryId: d.deliveryId, topic, shop: d.shop }, (tx) => processTopic(tx, topic, body));
}

async function processTopic(tx: Db, topic: string, body: string): Promise<Processed> {
  if (!(WOO_TOPICS as readonly string[]).includes(topic)) return { outcome: "ignored", note: "topic not used by this app" };
  const json = parseWebhookJson(body);
  if (topic !== "order.deleted") {
    const raw = parseAs(wooOrderSchema, json, "WooCommerce order");
    const order = mapWooOrder(raw);
    const changedAt = raw.date_modified_gmt ? instantOrNull(wooGmt(raw.date_modified_gmt)) : null;
    if (await newerApplied(tx, "woocommerce", order.order_id, changedAt)) {
      return { outcome: "ignored", note: "an older state of the order than one already applied" };
    }
    await ingestOrders(tx, order);
    return { outcome: "stored", resource: { id: order.order_id, changedAt } };
  }
  const { id } = parseAs(wooDeletedSchema, json, "WooCommerce order.deleted");
  // The order as last stored, sent again as cancelled through the same path (an update changes status only).
  const [known] = await rows<{ total: number; currency: string | null; placed_at: string }>(
    tx,
    sql`SELECT coalesce(total_original, total)::float8 AS total, currency::text AS currency, placed_at FROM orders WHERE order_id = ${id}`,
  );
  if (!known) return { outcome: "ignored", note: "order.deleted for an order this app never stored" };
  await ingestOrders(tx, {
    order_id: id,
    total: known.total,
    currency: known.currency ?? config().currency,
    status: "cancelled",
    placed_at: new Date(known.placed_at).toISOString(),
  });
  return { outcome: "stored" };
}
