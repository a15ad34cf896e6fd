import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { emailCustomerId, hashEmail } from "@/lib/ingest/contact-hash";
import { eraseCustomer } from "@/lib/ingest/erase-customer";
import { ingestOrders } from "@/lib/ingest/orders";
import { ingestRefunds } from "@/lib/ingest/refunds";
import { instantOrNull, newerApplied, receiveDelivery, type DeliveryAnswer, type Processed } from "../deliveries";
import { parseAs, parseWebhookJson } from "../webhook-json";
import { mapShopifyOrder, mapShopifyRefund, shopifyCustomerRequestSchema, shopifyOrderSchema, shopifyRefundSchema } from "./order";

/**
 * Shopify webhook topics (SPEC 17.1), after the route has verified the HMAC and the shop. Orders
 * and refunds go through the same domain path as the ingest API (ingestOrders, ingestRefunds);
 * the compliance topics erase or log. Any other topic is acknowledged and counted as ignored.
 */

export const SHOPIFY_ORDER_TOPICS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"] as const;
export const SHOPIFY_TOPICS = [...SHOPIFY_ORDER_TOPICS, "refunds/create", "customers/data_request", "customers/redact", "shop/redact"] as const;

/** `triggeredAt`: X-Shopify-Triggered-At, when Shopify fired the event (a retry keeps it). */
export type ShopifyDelivery = { webhookId: string; topic: string; shop: string | null; triggeredAt?: string | null };

export async function receiveShopifyWebhook(db: Db, d: ShopifyDelivery, body: string): Promise<DeliveryAnswer> {
  const topic = d.topic.trim().toLowerCase();
  return receiveDelivery(db, { platform: "shopify", deliveryId: d.webhookId, topic, shop: d.shop }, (tx) => processTopic(tx, topic, d, body));
}

async function processTopic(tx: Db, topic: string, d: ShopifyDelivery, body: string): Promise<Processed> {
  if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic)) return { outcome: "ignored", note: "topic not used by this app" };
  const json = parseWebhookJson(body);
  if ((SHOPIFY_ORDER_TOPICS as readonly string[]).includes(topic)) {
    const raw = parseAs(shopifyOrderSchema, json, "Shopify order");
    const order = mapShopifyOrder(raw, d.shop);
    const changedAt = instantOrNull(d.triggeredAt) ?? instantOrNull(raw.updated_at);
    if (await newerApplied(tx, "shopify", order.order_id, changedAt)) {
      return { outcome: "ignored", note: "an older state of the order than one already applied (a late retry)" };
    }
    await ingestOrders(tx, order);
    return { outcome: "stored", resource: { id: order.order_id, changedAt } };
  }
  if (topic === "refunds/create") {
    const refund = mapShopifyRefund(parseAs(shopifyRefundSchema, json, "Shopify refund"));
    if (!refund) return { outcome: "ignored", note: "the refund returned no money (no successful refund transaction)" };
    await ingestRefunds(tx, refund);
    return { outcome: "stored" };
  }
  const req = parseAs(shopifyCustomerRequestSchema, json, "Shopify compliance request");
  const email = req.customer?.email ?? undefined;
  const customerIds = [req.customer?.id, emailCustomerId(email)].filter((v): v is string => !!v);
  if (topic === "customers/redact") {
    const r = await eraseCustomer(tx, { customerIds, emailSha256: hashEmail(email), orderIds: req.orders_to_redact ?? [] });
    return { outcome: "stored", note: `customer erased: ${r.orders} orders detached, ${r.visitors} visitors erased` };
  }
  if (topic === "customers/data_request") {
    // What the app holds about the customer, as counts (the merchant answers the request; docs).
    const [held] = await rows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM orders
          WHERE customer_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(customerIds)}::json)))
             OR order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(req.orders_requested ?? [])}::json)))`,
    );
    return { outcome: "stored", note: `data request logged: ${held.n} orders held for this customer` };
  }
  // shop/redact: logged only; see docs/integrations/shopify.md ("Privacy topics").
  return { outcome: "stored", note: "shop redact logged; nothing erased automatically (the database is the merchant's own)" };
}
