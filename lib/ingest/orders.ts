import { sql } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import { enqueueForwarding } from "@/lib/forwarding/enqueue";
import { rows, type Db } from "@/lib/db/client";
import { badRequest, zodIssues, type Issue } from "@/lib/errors";
import { attributionSelect } from "./attribution";
import { sanitizeJson } from "./clean";
import { lockSessions, refreshCustomers, refreshSessionOrderFacts } from "./facts";
import { addLandingTouchpoints } from "./landing-touchpoints";
import { joinPath, writeRefunds, type ValidRefund } from "./refunds";
import { convertedAmount, rateOfDay } from "./rates";
import { orderSchema, type OrderStatus } from "./schemas";
import { inTransaction, uniq } from "./sql-util";

/** SPEC 2.3: orders reported by the shop's backend, upserted by order_id. */

export const MAX_ORDERS_PER_REQUEST = 1000;

export type ValidOrder = {
  order_id: string;
  customer_id: string | null;
  visitor_id: string | null;
  session_id: string | null;
  /** The total as sent, in `currency` (stored as total_original; `total` is it in APP_CURRENCY). */
  total: number;
  /** ISO 4217, upper case; APP_CURRENCY when the order named none (SPEC 17.5). */
  currency: string;
  status: OrderStatus;
  placed_at: string;
  /** Item count: `items` as sent, or Σ quantity of `items[]`. */
  items: number | null;
  // SPEC 17.5 (amounts in the order's currency, as sent; null when not sent).
  subtotal: number | null;
  discount: number | null;
  discount_codes: string[] | null;
  shipping: number | null;
  shipping_cost: number | null;
  tax: number | null;
  /** SHA-256 hex of the normalised e-mail / phone; the plain values never leave validation. */
  email_sha256: string | null;
  phone_sha256: string | null;
  landing_url: string | null;
  referrer: string | null;
  /** `items[]` when sent (replaces the stored lines), null to keep them. */
  line_items: LineItem[] | null;
  /** `refunds[]`, upserted by refund_id like POST /api/ingest/refunds. */
  refunds: ValidRefund[];
};

/** One line of an order's `items[]` (SPEC 17.5), stored in order_items by its position. */
export type LineItem = {
  sku: string | null;
  product_id: string | null;
  name: string | null;
  quantity: number;
  price: number | null;
  cost: number | null;
};

export type OrderResult = { order_id: string; session_id: string | null; utm_source: string | null; created: boolean };

/**
 * Validates a list of raw orders; every bad field becomes an issue whose path starts with
 * `prefix` (`orders[3].total` in a batch, `[3].total` for an array, `total` for one object).
 * The same order_id twice keeps the last one, so an upsert never touches a row twice.
 */
export function validateOrders(
  raw: readonly unknown[],
  pathOf: (index: number) => string,
  issues: Issue[],
  now: Date = new Date(),
): ValidOrder[] {
  const schema = orderSchema(config().currency);
  const byId = new Map<string, ValidOrder>();
  raw.forEach((item, i) => {
    const r = schema.safeParse(item);
    if (!r.success) {
      issues.push(...zodIssues(r.error, pathOf(i)));
      return;
    }
    const o = r.data;
    const lines = Array.isArray(o.items) ? o.items : null;
    const refunds = (o.refunds ?? []).map((x) => ({ ...x, order_id: o.order_id, refunded_at: x.refunded_at ?? null, reason: null }));
    const refunded = refunds.reduce((sum, x) => sum + Math.round(x.amount * 100), 0);
    if (refunded > Math.round(o.total * 100)) {
      issues.push({ path: joinPath(pathOf(i), "refunds"), message: "add up to more than the order's total" });
      return;
    }
    byId.delete(o.order_id);
    byId.set(o.order_id, {
      order_id: o.order_id,
      customer_id: o.customer_id ?? null,
      visitor_id: o.visitor_id ?? null,
      session_id: o.session_id ?? null,
      total: o.total,
      currency: o.currency,
      status: o.status ?? "paid",
      placed_at: o.placed_at ?? now.toISOString(),
      items: lines ? lines.reduce((n, l) => n + l.quantity, 0) : typeof o.items === "number" ? o.items : null,
      subtotal: o.subtotal ?? null,
      discount: o.discount ?? null,
      discount_codes: o.discount_codes ?? null,
      shipping: o.shipping ?? null,
      shipping_cost: o.shipping_cost ?? null,
      tax: o.tax ?? null,
      email_sha256: o.email ?? null,
      phone_sha256: o.phone ?? null,
      landing_url: o.landing_url ?? null,
      referrer: o.referrer ?? null,
      line_items: lines?.map((l) => ({
        sku: l.sku ?? null,
        product_id: l.product_id ?? null,
        name: l.name ?? null,
        quantity: l.quantity,
        price: l.price ?? null,
        cost: l.cost ?? null,
      })) ?? null,
      refunds,
    });
  });
  return [...byId.values()];
}

type UpsertRow = OrderResult & { customer_id: string };

/**
 * Upserts validated orders in the caller's transaction: attribution (SPEC 3.3) only for orders
 * stored for the first time; an update changes status, total and items only. Then the facts of
 * the attributed sessions and of the customers are recomputed. `alreadyLocked` are session ids the
 * transaction holds locks on already.
 */
export async function upsertOrders(
  tx: Db,
  orders: readonly ValidOrder[],
  alreadyLocked: ReadonlySet<string> = new Set(),
  extraCustomers: readonly string[] = [],
): Promise<UpsertRow[]> {
  if (orders.length === 0) {
    await refreshCustomers(tx, extraCustomers);
    return [];
  }
  const json = JSON.stringify(orders.map(({ line_items: _l, refunds: _r, ...o }) => o));
  const input = sql`(
    SELECT x.*, ${rateOfDay(sql`x.currency`, sql`x.placed_at`)} AS fx_rate FROM json_to_recordset(${json}::json) AS x(
      order_id text, customer_id text, visitor_id text, session_id uuid, total numeric, currency text,
      status text, placed_at timestamptz, items int,
      subtotal numeric, discount numeric, discount_codes jsonb, shipping numeric, shipping_cost numeric, tax numeric,
      email_sha256 text, phone_sha256 text, landing_url text, referrer text))`;
  const got = await rows<UpsertRow>(
    tx,
    sql`
    WITH att AS (${attributionSelect(input, config().attributionWindowDays)}),
    up AS (
      INSERT INTO orders (order_id, customer_id, visitor_id, session_id, session_named, total, currency, total_original, fx_rate, status, placed_at, items,
                          subtotal, discount, discount_codes, shipping, shipping_cost, tax, email_sha256, phone_sha256, landing_url, referrer)
      SELECT order_id,
             coalesce(customer_id, 'visitor:' || resolved_visitor, order_id),
             resolved_visitor, attributed_session, session_named, ${convertedAmount(sql`total`, sql`fx_rate`)}, currency, total, fx_rate, status, placed_at, items,
             subtotal, discount, discount_codes, shipping, shipping_cost, tax, email_sha256, phone_sha256, landing_url, referrer
      FROM att
      ORDER BY order_id
      ON CONFLICT (order_id) DO UPDATE SET
        status = excluded.status,
        total = excluded.total,
        currency = excluded.currency,
        total_original = excluded.total_original,
        fx_rate = excluded.fx_rate,
        items = coalesce(excluded.items, orders.items),
        subtotal = coalesce(excluded.subtotal, orders.subtotal),
        discount = coalesce(excluded.discount, orders.discount),
        discount_codes = coalesce(excluded.discount_codes, orders.discount_codes),
        shipping = coalesce(excluded.shipping, orders.shipping),
        shipping_cost = coalesce(excluded.shipping_cost, orders.shipping_cost),
        tax = coalesce(excluded.tax, orders.tax),
        email_sha256 = coalesce(excluded.email_sha256, orders.email_sha256),
        phone_sha256 = coalesce(excluded.phone_sha256, orders.phone_sha256),
        landing_url = coalesce(excluded.landing_url, orders.landing_url),
        referrer = coalesce(excluded.referrer, orders.referrer),
        updated_at = now()
      RETURNING order_id, customer_id, session_id, (xmax = 0) AS created
    )
    SELECT up.order_id::text AS order_id, up.session_id::text AS session_id,
           s.utm_source::text AS utm_source, up.created AS created, up.customer_id::text AS customer_id
    FROM up LEFT JOIN sessions s ON s.id = up.session_id`,
  );
  // SPEC 17.1: a first-stored order without a session gets its landing touchpoint (before customers).
  await addLandingTouchpoints(tx, orders, got);
  await replaceLineItems(tx, orders);
  // Embedded refunds: their total check and 404 cannot fail here (the orders exist, and
  // validateOrders checked them against the total), except against refunds stored before.
  const refunds = orders.flatMap((o) => o.refunds);
  await writeRefunds(tx, refunds, (i) => `order ${refunds[i].order_id} refunds`);
  const sessionIds = uniq(got.map((r) => r.session_id));
  await lockSessions(tx, sessionIds.filter((id) => !alreadyLocked.has(id)));
  await refreshSessionOrderFacts(tx, sessionIds);
  await refreshCustomers(tx, uniq([...got.map((r) => r.customer_id), ...extraCustomers]));
  // SPEC 19: the paid ones enter the forwarding outbox in this same transaction.
  await enqueueForwarding(tx, got.map((r) => r.order_id));
  return got;
}

/** The orders sent with `items[]` get exactly those lines (an order sent without keeps its own). */
async function replaceLineItems(tx: Db, orders: readonly ValidOrder[]): Promise<void> {
  const withLines = orders.filter((o) => o.line_items !== null);
  if (withLines.length === 0) return;
  const ids = JSON.stringify(withLines.map((o) => o.order_id));
  await tx.execute(sql`
    DELETE FROM order_items WHERE order_id = ANY(ARRAY(SELECT json_array_elements_text(${ids}::json)))`);
  const lines = withLines.flatMap((o) => o.line_items!.map((l, position) => ({ order_id: o.order_id, position, ...l })));
  if (lines.length === 0) return;
  await tx.execute(sql`
    INSERT INTO order_items (order_id, position, sku, product_id, name, quantity, price, cost)
    SELECT x.order_id, x.position, x.sku, x.product_id, x.name, x.quantity, x.price, x.cost
    FROM json_to_recordset(${JSON.stringify(lines)}::json) AS x(
      order_id text, position int, sku text, product_id text, name text, quantity int, price numeric, cost numeric)`);
}

const orderList = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** POST /api/ingest/orders: one order object or an array of up to 1,000. */
export async function ingestOrders(db: Db, body: unknown): Promise<{ orders: OrderResult[] }> {
  const shape = orderList.safeParse(sanitizeJson(body));
  if (!shape.success) throw badRequest("Send one order object or an array of orders");
  const isArray = Array.isArray(shape.data);
  const raw: unknown[] = isArray ? (shape.data as unknown[]) : [shape.data];
  if (raw.length > MAX_ORDERS_PER_REQUEST) {
    throw badRequest(`At most ${MAX_ORDERS_PER_REQUEST} orders per request; split the array`, [
      { path: "(root)", message: `has ${raw.length} orders, more than ${MAX_ORDERS_PER_REQUEST}` },
    ]);
  }
  const issues: Issue[] = [];
  const orders = validateOrders(raw, (i) => (isArray ? `[${i}]` : ""), issues);
  if (issues.length) throw badRequest("Invalid order", issues);
  const stored = await inTransaction(db, (tx) => upsertOrders(tx, orders));
  const byId = new Map(stored.map((r) => [r.order_id, r]));
  return {
    orders: orders.map((o) => {
      const r = byId.get(o.order_id)!;
      return { order_id: r.order_id, session_id: r.session_id, utm_source: r.utm_source, created: r.created };
    }),
  };
}
