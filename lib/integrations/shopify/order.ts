import { z } from "zod";
import { emailCustomerId, normaliseEmail, normalisePhone } from "@/lib/ingest/contact-hash";
import type { OrderStatus } from "@/lib/ingest/schemas";
import { decimal, idText, opt, text } from "../webhook-json";

/**
 * Shopify's REST Order and Refund resources, as webhooks send them (orders/create, orders/updated,
 * orders/paid, orders/cancelled, refunds/create), and their mapping to the ingest order of SPEC
 * 2.3 + 17.5 (docs/integrations/shopify.md has the field table). Only the fields the app reads
 * are validated; everything else in the payload is ignored. Pure functions.
 */

const moneySet = z.object({ shop_money: z.object({ amount: decimal, currency_code: opt(text(8)) }) }).passthrough();

const transaction = z
  .object({ amount: decimal, kind: opt(text(32)), status: opt(text(32)) })
  .passthrough();

const refundLineItem = z
  .object({ subtotal: opt(decimal), total_tax: opt(decimal), quantity: opt(decimal) })
  .passthrough();

export const shopifyRefundSchema = z
  .object({
    id: idText,
    order_id: idText,
    created_at: opt(text(40)),
    processed_at: opt(text(40)),
    note: opt(text(500)),
    transactions: opt(z.array(transaction).max(250)),
    refund_line_items: opt(z.array(refundLineItem).max(1000)),
  })
  .passthrough();
export type ShopifyRefund = z.output<typeof shopifyRefundSchema>;

const lineItem = z
  .object({
    sku: opt(text(200)),
    product_id: opt(idText),
    title: opt(text(500)),
    name: opt(text(500)),
    quantity: decimal,
    price: opt(decimal),
  })
  .passthrough();

export const shopifyOrderSchema = z
  .object({
    id: idText,
    name: opt(text(200)),
    created_at: text(40),
    processed_at: opt(text(40)),
    updated_at: opt(text(40)),
    cancelled_at: opt(text(40)),
    currency: text(8),
    current_total_price: decimal,
    subtotal_price: opt(decimal),
    total_discounts: opt(decimal),
    total_tax: opt(decimal),
    total_shipping_price_set: opt(moneySet),
    discount_codes: opt(z.array(z.object({ code: text(100) }).passthrough()).max(50)),
    financial_status: opt(text(40)),
    email: opt(text(320)),
    contact_email: opt(text(320)),
    phone: opt(text(64)),
    customer: opt(z.object({ id: idText, email: opt(text(320)), phone: opt(text(64)) }).passthrough()),
    line_items: opt(z.array(lineItem).max(1000)),
    refunds: opt(z.array(shopifyRefundSchema).max(100)),
    landing_site: opt(text(4096)),
    referring_site: opt(text(4096)),
  })
  .passthrough();
export type ShopifyOrder = z.output<typeof shopifyOrderSchema>;

/** SPEC 17.1: financial_status → status; a cancelled order is cancelled whatever its payment says. */
export function shopifyStatus(financialStatus: string | undefined, cancelledAt: string | undefined): OrderStatus {
  if (cancelledAt) return "cancelled";
  switch ((financialStatus ?? "").toLowerCase()) {
    case "paid":
    case "partially_paid":
    case "partially_refunded":
      return "paid";
    case "refunded":
    case "voided":
      return "refunded";
    case "expired":
      // An authorization that expired uncaptured: no money ever came (GraphQL's EXPIRED).
      return "cancelled";
    default:
      // pending, authorized, and anything Shopify adds later: not (yet) paid.
      return "pending";
  }
}

/** The money a refund returned: its successful `refund` transactions. */
export function refundAmount(r: ShopifyRefund): number {
  const cents = (r.transactions ?? [])
    .filter((t) => (t.kind ?? "refund") === "refund" && (t.status ?? "success") === "success")
    .reduce((sum, t) => sum + Math.round(t.amount * 100), 0);
  return cents / 100;
}

/** What the refunds' line items took out of `current_total_price` (their subtotal plus tax). */
function refundedLineTotal(refunds: readonly ShopifyRefund[]): number {
  let cents = 0;
  for (const r of refunds) for (const li of r.refund_line_items ?? []) cents += Math.round(((li.subtotal ?? 0) + (li.total_tax ?? 0)) * 100);
  return cents / 100;
}

/** The ingest refund of `refunds/create` and of an order's `refunds[]` (none when it returned no money). */
export function mapShopifyRefund(r: ShopifyRefund): { refund_id: string; order_id: string; amount: number; refunded_at?: string; reason?: string } | undefined {
  const amount = refundAmount(r);
  if (amount <= 0) return undefined;
  const at = r.processed_at ?? r.created_at;
  return { refund_id: r.id, order_id: r.order_id, amount, ...(at ? { refunded_at: at } : {}), ...(r.note ? { reason: r.note } : {}) };
}

/** `landing_site` is a path (`/products/x?utm_source=...`): absolute with the shop's domain. */
export function absoluteLanding(landing: string | undefined, shopDomain: string | null): string | undefined {
  const v = landing?.trim();
  if (!v) return undefined;
  if (/^https?:\/\//i.test(v)) return v;
  if (!shopDomain) return undefined;
  try {
    return new URL(v, `https://${shopDomain}`).toString();
  } catch {
    return undefined;
  }
}

export type MappedOrder = {
  order_id: string;
  customer_id?: string;
  total: number;
  currency: string;
  status: OrderStatus;
  placed_at: string;
  subtotal?: number;
  discount?: number;
  discount_codes?: string[];
  shipping?: number;
  tax?: number;
  items?: { sku?: string; product_id?: string; name?: string; quantity: number; price?: number }[];
  refunds?: { refund_id: string; amount: number; refunded_at?: string }[];
  email?: string;
  phone?: string;
  landing_url?: string;
  referrer?: string;
};

const positive = (n: number | undefined) => (n === undefined ? undefined : Math.max(0, n));

/**
 * A Shopify order as the ingest order (SPEC 17.1 mapping). `total` is `current_total_price` (the
 * total after order edits) plus what line-item refunds took out of it: Shopify lowers
 * current_total_price when line items are refunded, and the app keeps refunds apart (net revenue
 * = revenue − refunds, SPEC 17.5), so the refunds would otherwise count twice and a full refund
 * would exceed the total. Without refunds it is current_total_price exactly.
 */
export function mapShopifyOrder(o: ShopifyOrder, shopDomain: string | null): MappedOrder {
  const refunds = o.refunds ?? [];
  // Only values that are an e-mail / a phone number go on (the order path hashes them and would
  // refuse the whole order for a malformed one; a shop's odd phone field is no reason to lose it).
  const email = [o.email, o.contact_email, o.customer?.email].find((v) => normaliseEmail(v) !== undefined);
  const phone = [o.phone, o.customer?.phone].find((v) => normalisePhone(v) !== undefined);
  const customerId = o.customer?.id ?? emailCustomerId(email);
  const shipping = o.total_shipping_price_set?.shop_money.amount;
  const mappedRefunds = refunds.flatMap((r) => {
    const m = mapShopifyRefund(r);
    return m ? [{ refund_id: m.refund_id, amount: m.amount, ...(m.refunded_at ? { refunded_at: m.refunded_at } : {}) }] : [];
  });
  const out: MappedOrder = {
    order_id: o.id,
    total: Math.round((o.current_total_price + refundedLineTotal(refunds)) * 100) / 100,
    currency: o.currency.trim().toUpperCase(),
    status: shopifyStatus(o.financial_status, o.cancelled_at),
    placed_at: o.processed_at || o.created_at,
  };
  if (customerId) out.customer_id = customerId;
  if (o.subtotal_price !== undefined) out.subtotal = positive(o.subtotal_price);
  if (o.total_discounts !== undefined) out.discount = positive(o.total_discounts);
  if (o.discount_codes?.length) out.discount_codes = o.discount_codes.map((d) => d.code.trim()).filter(Boolean);
  if (shipping !== undefined) out.shipping = positive(shipping);
  if (o.total_tax !== undefined) out.tax = positive(o.total_tax);
  if (o.line_items) {
    out.items = o.line_items.map((li) => ({
      ...(li.sku ? { sku: li.sku } : {}),
      ...(li.product_id ? { product_id: li.product_id } : {}),
      ...((li.title ?? li.name) ? { name: (li.title ?? li.name)! } : {}),
      quantity: li.quantity,
      ...(li.price !== undefined ? { price: positive(li.price) } : {}),
    }));
  }
  if (mappedRefunds.length) out.refunds = mappedRefunds;
  if (email) out.email = email;
  if (phone) out.phone = phone;
  const landing = absoluteLanding(o.landing_site, shopDomain);
  if (landing) out.landing_url = landing;
  if (o.referring_site?.trim()) out.referrer = o.referring_site.trim();
  return out;
}

/** customers/redact and customers/data_request (the mandatory compliance topics). */
export const shopifyCustomerRequestSchema = z
  .object({
    shop_domain: opt(text(255)),
    customer: opt(z.object({ id: opt(idText), email: opt(text(320)), phone: opt(text(64)) }).passthrough()),
    orders_to_redact: opt(z.array(idText).max(10_000)),
    orders_requested: opt(z.array(idText).max(10_000)),
  })
  .passthrough();
