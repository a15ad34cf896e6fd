import { z } from "zod";
import { emailCustomerId, normaliseEmail, normalisePhone } from "@/lib/ingest/contact-hash";
import type { OrderStatus } from "@/lib/ingest/schemas";
import type { MappedOrder } from "../shopify/order";
import { decimal, idText, opt, text } from "../webhook-json";

/**
 * WooCommerce's REST order (wc/v3 `/orders/<id>`), which its order.* webhooks send, and its
 * mapping to the ingest order of SPEC 2.3 + 17.5 (docs/integrations/woocommerce.md has the
 * field table). Only the fields the app reads are validated. Pure functions.
 */

const meta = z.object({ key: text(255), value: z.unknown() }).passthrough();

const lineItem = z
  .object({
    name: opt(text(500)),
    product_id: opt(idText),
    sku: opt(text(200)),
    quantity: decimal,
    price: opt(decimal),
  })
  .passthrough();

const refund = z.object({ id: idText, total: decimal, reason: opt(text(500)) }).passthrough();

export const wooOrderSchema = z
  .object({
    id: idText,
    status: text(40),
    currency: text(8),
    total: decimal,
    discount_total: opt(decimal),
    shipping_total: opt(decimal),
    total_tax: opt(decimal),
    date_created_gmt: text(40),
    date_paid_gmt: opt(text(40)),
    date_modified_gmt: opt(text(40)),
    customer_id: opt(idText),
    billing: opt(z.object({ email: opt(text(320)), phone: opt(text(64)) }).passthrough()),
    line_items: opt(z.array(lineItem).max(1000)),
    coupon_lines: opt(z.array(z.object({ code: text(100) }).passthrough()).max(50)),
    refunds: opt(z.array(refund).max(100)),
    meta_data: opt(z.array(meta).max(1000)),
  })
  .passthrough();
export type WooOrder = z.output<typeof wooOrderSchema>;

/** order.deleted sends only the id (WC_Webhook::build_payload). */
export const wooDeletedSchema = z.object({ id: idText }).passthrough();

/** SPEC 17.2 status mapping; any other status (checkout-draft, a plugin's own) is pending. */
export function wooStatus(status: string): OrderStatus {
  switch (status.trim().toLowerCase()) {
    case "processing":
    case "completed":
      return "paid";
    case "cancelled":
    case "failed":
    case "trash":
      return "cancelled";
    case "refunded":
      return "refunded";
    default:
      // pending, on-hold, checkout-draft, custom statuses: not paid (yet).
      return "pending";
  }
}

/** Woo's `date_*_gmt` are UTC without an offset ("2026-03-10T09:58:12"): add the Z. */
export function wooGmt(value: string): string {
  const v = value.trim();
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`;
}

const ATTRIBUTION = "_wc_order_attribution_";
const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"] as const;
/** What WooCommerce's order attribution (sourcebuster.js) writes for "nothing". */
const NONE = new Set(["", "(none)", "(direct)", "(not set)", "typein"]);

function attribution(o: WooOrder): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of o.meta_data ?? []) {
    if (m.key.startsWith(ATTRIBUTION) && typeof m.value === "string") out.set(m.key.slice(ATTRIBUTION.length), m.value.trim());
  }
  return out;
}

/**
 * The landing URL: `_wc_order_attribution_session_entry`; when it carries no utm_source but the
 * attribution meta does (Woo keeps them apart), those utm_* are added, so the landing touchpoint
 * (SPEC 17.1) classifies the same source. Orders made in the admin (source_type admin) have none.
 */
export function wooLanding(o: WooOrder): { landing_url?: string; referrer?: string } {
  const a = attribution(o);
  if (a.get("source_type") === "admin") return {};
  const out: { landing_url?: string; referrer?: string } = {};
  const entry = a.get("session_entry");
  if (entry && /^https?:\/\//i.test(entry)) {
    try {
      const url = new URL(entry);
      if (!url.searchParams.has("utm_source")) {
        for (const k of UTM_KEYS) {
          const v = a.get(k);
          if (v && !NONE.has(v.toLowerCase())) url.searchParams.set(k, v);
        }
      }
      out.landing_url = url.toString();
    } catch {
      // not a URL: no landing
    }
  }
  const ref = a.get("referrer");
  if (ref && /^https?:\/\//i.test(ref)) out.referrer = ref;
  return out;
}

const positive = (n: number | undefined) => (n === undefined ? undefined : Math.max(0, n));

export function mapWooOrder(o: WooOrder): MappedOrder {
  const email = normaliseEmail(o.billing?.email) ? o.billing!.email! : undefined;
  const phone = normalisePhone(o.billing?.phone) ? o.billing!.phone! : undefined;
  const registered = o.customer_id && o.customer_id !== "0" ? o.customer_id : undefined;
  const customerId = registered ?? emailCustomerId(email);
  const items = o.line_items ?? [];
  const out: MappedOrder = {
    order_id: o.id,
    total: o.total,
    currency: o.currency.trim().toUpperCase(),
    status: wooStatus(o.status),
    placed_at: wooGmt(o.date_created_gmt),
  };
  if (customerId) out.customer_id = customerId;
  if (o.line_items) {
    // Woo has no order subtotal field: the sum of the lines' price × quantity (before coupons).
    out.subtotal = Math.round(items.reduce((s, li) => s + (li.price ?? 0) * li.quantity, 0) * 100) / 100;
    out.items = items.map((li) => ({
      ...(li.sku ? { sku: li.sku } : {}),
      ...(li.product_id && li.product_id !== "0" ? { product_id: li.product_id } : {}),
      ...(li.name ? { name: li.name } : {}),
      quantity: li.quantity,
      ...(li.price !== undefined ? { price: positive(li.price) } : {}),
    }));
  }
  if (o.discount_total !== undefined) out.discount = positive(o.discount_total);
  if (o.coupon_lines?.length) out.discount_codes = o.coupon_lines.map((c) => c.code.trim()).filter(Boolean);
  if (o.shipping_total !== undefined) out.shipping = positive(o.shipping_total);
  if (o.total_tax !== undefined) out.tax = positive(o.total_tax);
  // Woo lists refunds with a negative total; the embedded list carries no date (the refund's
  // own date is kept once known: lib/ingest/refunds.ts keeps refunded_at when none is sent).
  const refunds = (o.refunds ?? []).flatMap((r) => (-r.total > 0 ? [{ refund_id: `woo-refund:${r.id}`, amount: -r.total }] : []));
  if (refunds.length) out.refunds = refunds;
  if (email) out.email = email;
  if (phone) out.phone = phone;
  Object.assign(out, wooLanding(o));
  return out;
}
