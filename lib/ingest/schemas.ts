import { z } from "zod";
import { MAX_VISITOR_ID, parseUuid } from "@/lib/ids";
import { enumField, nullishJsonObject, nullishText, refuse, textField, type RecordRule } from "./fields";
import { hashEmail, hashPhone } from "./contact-hash";
import { currencyCodeSchema } from "@/lib/currency";

/**
 * The zod building blocks shared by collect, orders and batch (SPEC 2.2–2.4), so the same field
 * is validated, normalised and worded the same way on every endpoint. Built with lib/ingest/fields.ts,
 * so the batch's fast path is generated from these same definitions.
 */

/**
 * `purchase` (SPEC 17.1–17.3: the pixel, thank-you pages, dataLayer) links its order_id to its
 * session (lib/ingest/order-links.ts); it is no funnel step: the funnel's purchase is a paid order.
 */
export const EVENT_TYPES = ["page_view", "product_view", "add_to_cart", "checkout_start", "purchase", "custom"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ORDER_STATUSES = ["paid", "pending", "refunded", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Funnel step an event reaches (sessions.funnel_step): 0 none … 3 checkout_start. */
export const FUNNEL_STEP: Record<EventType, number> = {
  page_view: 0,
  custom: 0,
  product_view: 1,
  add_to_cart: 2,
  checkout_start: 3,
  purchase: 0,
};

/** Any 8-4-4-4-12 hex id, as PostgreSQL's uuid type accepts; stored lower-case. */
export const uuidSchema = textField({
  notString: "must be a UUID string",
  normalise: (s) => parseUuid(s) ?? refuse("must be a UUID"),
});

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Instants the database and every report can hold (SPEC 16): 1970-01-01 … 9999-12-31, UTC. */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const INSTANT_FORMAT_MESSAGE = "must be an ISO-8601 datetime with Z or an offset, e.g. 2025-01-31T12:00:00Z";
export const INSTANT_RANGE_MESSAGE = "must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (after its offset is applied)";

/**
 * An ISO-8601 instant with `Z` or an offset (SPEC 2.3) → the canonical UTC ISO string, or why not:
 * "format" when it is no such datetime, "range" when it lies outside 1970–9999 once the offset is
 * applied (year 0, `0001-01-01T00:30:00+01:00`, `9999-12-31T23:59:59-23:59`).
 */
export function checkInstant(value: string): { iso: string } | { error: "format" | "range" } {
  const m = ISO_DATETIME.exec(value.trim());
  if (!m) return { error: "format" };
  const [, y, mo, d, h, mi, s = "0", off] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return { error: "format" };
  // Date.UTC maps years 0–99 to 1900–1999: set the year explicitly for the month length.
  const monthEnd = new Date(Date.UTC(2000, month, 0));
  monthEnd.setUTCFullYear(year, month, 0);
  if (day > monthEnd.getUTCDate() || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return { error: "format" };
  if (off.toUpperCase() !== "Z") {
    const digits = off.replace(":", "");
    if (Number(digits.slice(1, 3)) > 23 || Number(digits.slice(3, 5)) > 59) return { error: "format" };
  }
  const t = Date.parse(value.trim().replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  if (!Number.isFinite(t)) return { error: "format" };
  if (t < MIN_INSTANT_MS || t > MAX_INSTANT_MS) return { error: "range" };
  return { iso: new Date(t).toISOString() };
}

/** The canonical UTC ISO string of a valid, in-range instant; undefined otherwise. */
export function parseInstant(value: string): string | undefined {
  const r = checkInstant(value);
  return "iso" in r ? r.iso : undefined;
}

export const instantSchema = textField({
  notString: "must be an ISO-8601 datetime string",
  max: [40, "must be an ISO-8601 datetime"],
  normalise: (s) => {
    const r = checkInstant(s);
    if ("iso" in r) return r.iso;
    return refuse(r.error === "range" ? INSTANT_RANGE_MESSAGE : INSTANT_FORMAT_MESSAGE);
  },
});

/** Optional free text: trimmed, empty → undefined, bounded so hostile strings get a 400. */
export const optionalText = (max: number) =>
  nullishText({
    notString: "must be a string",
    max: [max, `must be at most ${max} characters`],
    normalise: (s) => s.trim() || undefined,
  });

export const visitorIdSchema = textField({
  notString: "must be a string",
  min: [1, "must not be empty"],
  max: [MAX_VISITOR_ID, `must be at most ${MAX_VISITOR_ID} characters`],
});

export const MAX_PROPERTIES_BYTES = 2048;

export const propertiesSchema = nullishJsonObject({
  notObject: "must be a JSON object",
  maxBytes: [MAX_PROPERTIES_BYTES, `must be at most ${MAX_PROPERTIES_BYTES} bytes as JSON`],
});

export const eventTypeSchema = enumField(EVENT_TYPES, `must be one of ${EVENT_TYPES.join(", ")}`);

export const eventNameSchema = optionalText(200);

/** A custom event names itself (SPEC 2.2); the one record rule of collect's and the batch's events. */
export const customEventNamed: RecordRule<{ type: EventType; name?: string }> = (e) =>
  e.type === "custom" && !e.name ? { path: "name", message: "is required for custom events" } : undefined;

/** Largest order total numeric(14,2) sums can still carry over many orders. */
const MAX_TOTAL = 1_000_000_000;

/** An amount of money (SPEC 17.5: subtotal, discount, shipping, tax, prices, refunds): 0 … MAX_TOTAL. */
export const moneyAmount = z
  .number({ error: "must be a number" })
  .finite("must be a finite number")
  .min(0, "must be at least 0")
  .max(MAX_TOTAL, `must be at most ${MAX_TOTAL}`);

const itemCountSchema = z
  .number({ error: "must be an integer" })
  .int("must be an integer")
  .min(0, "must be at least 0")
  .max(1_000_000, "must be at most 1000000");

export const MAX_LINE_ITEMS = 1000;
export const MAX_ORDER_REFUNDS = 100;

/** One line of `items[]` (SPEC 17.5). */
export const lineItemSchema = z.object(
  {
    sku: optionalText(200),
    product_id: optionalText(200),
    name: optionalText(500),
    quantity: itemCountSchema,
    price: moneyAmount.nullish(),
    cost: moneyAmount.nullish(),
  },
  { error: "must be an object with quantity" },
);

export const refundIdSchema = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters");

/** One refund of an order's `refunds[]`; POST /api/ingest/refunds adds order_id and reason. */
export const embeddedRefundSchema = z.object(
  {
    refund_id: refundIdSchema,
    amount: moneyAmount,
    refunded_at: instantSchema.nullish(),
  },
  { error: "must be an object with refund_id and amount" },
);

const lineItemsSchema = z.array(lineItemSchema).max(MAX_LINE_ITEMS, `must have at most ${MAX_LINE_ITEMS} items`);
export type LineItemInput = z.output<typeof lineItemSchema>;

/**
 * `items`: an integer count (SPEC 2.3) or `items[]` (SPEC 17.5). Not a z.union, whose failure is one
 * message for the whole field: each branch reports its own issues (`items[2].quantity`).
 */
const itemsField = z.unknown().optional().transform((v, ctx): number | LineItemInput[] | undefined => {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v) && typeof v !== "number") {
    ctx.addIssue({ code: "custom", message: "must be an integer count or an array of line items" });
    return z.NEVER;
  }
  const r = Array.isArray(v) ? lineItemsSchema.safeParse(v) : itemCountSchema.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as (string | number)[] });
  return z.NEVER;
});

/**
 * E-mail or phone: hashed on arrival (lib/ingest/contact-hash.ts), so the output is the SHA-256
 * hex and the plain value goes no further; blank means not given. Messages never repeat the value.
 */
function contactField(message: string, hash: (s: string) => string | undefined) {
  return nullishText({
    notString: "must be a string",
    max: [320, "must be at most 320 characters"],
    normalise: (s) => (s.trim() === "" ? undefined : (hash(s) ?? refuse(message))),
  });
}

export function orderSchema(currency: string) {
  return z.object({
    order_id: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(128, "must be at most 128 characters"),
    customer_id: optionalText(200),
    visitor_id: visitorIdSchema.nullish(),
    session_id: uuidSchema.nullish(),
    total: z
      .number({ error: "must be a number" })
      .finite("must be a finite number")
      .min(0, "must be at least 0")
      .max(MAX_TOTAL, `must be at most ${MAX_TOTAL}`),
    // SPEC 17.5: any ISO 4217 code; none means APP_CURRENCY (what the ingest API always meant).
    currency: currencyCodeSchema.nullish().transform((c) => c ?? currency),
    status: z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(", ")}` }).nullish(),
    placed_at: instantSchema.nullish(),
    items: itemsField,
    // SPEC 17.5: the order in full.
    subtotal: moneyAmount.nullish(),
    discount: moneyAmount.nullish(),
    discount_codes: z
      .array(z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(100, "must be at most 100 characters"), {
        error: "must be an array of strings",
      })
      .max(50, "must have at most 50 codes")
      .nullish(),
    shipping: moneyAmount.nullish(),
    /** What shipping cost the shop (SPEC 18 contribution margin), in the order's currency. */
    shipping_cost: moneyAmount.nullish(),
    tax: moneyAmount.nullish(),
    refunds: z.array(embeddedRefundSchema, { error: "must be an array" }).max(MAX_ORDER_REFUNDS, `must have at most ${MAX_ORDER_REFUNDS} refunds`).nullish(),
    email: contactField("must be an e-mail address", hashEmail),
    phone: contactField("must be a phone number with its country code", hashPhone),
    landing_url: optionalText(4096),
    referrer: optionalText(4096),
  });
}

export type OrderInput = z.output<ReturnType<typeof orderSchema>>;
