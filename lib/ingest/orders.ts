import { sql } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { badRequest, zodIssues, type Issue } from "@/lib/errors";
import { attributionSelect } from "./attribution";
import { sanitizeJson } from "./clean";
import { lockSessions, refreshCustomers, refreshSessionOrderFacts } from "./facts";
import { orderSchema, type OrderStatus } from "./schemas";
import { inTransaction, uniq } from "./sql-util";

/** SPEC 2.3: orders reported by the shop's backend, upserted by order_id. */

export const MAX_ORDERS_PER_REQUEST = 1000;

export type ValidOrder = {
  order_id: string;
  customer_id: string | null;
  visitor_id: string | null;
  session_id: string | null;
  total: number;
  status: OrderStatus;
  placed_at: string;
  items: number | null;
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
    byId.delete(o.order_id);
    byId.set(o.order_id, {
      order_id: o.order_id,
      customer_id: o.customer_id ?? null,
      visitor_id: o.visitor_id ?? null,
      session_id: o.session_id ?? null,
      total: o.total,
      status: o.status ?? "paid",
      placed_at: o.placed_at ?? now.toISOString(),
      items: o.items ?? null,
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
  const json = JSON.stringify(orders);
  const input = sql`(
    SELECT x.* FROM json_to_recordset(${json}::json) AS x(
      order_id text, customer_id text, visitor_id text, session_id uuid, total numeric,
      status text, placed_at timestamptz, items int))`;
  const got = await rows<UpsertRow>(
    tx,
    sql`
    WITH att AS (${attributionSelect(input, config().attributionWindowDays)}),
    up AS (
      INSERT INTO orders (order_id, customer_id, visitor_id, session_id, session_named, total, status, placed_at, items)
      SELECT order_id,
             coalesce(customer_id, 'visitor:' || resolved_visitor, order_id),
             resolved_visitor, attributed_session, session_named, total, status, placed_at, items
      FROM att
      ORDER BY order_id
      ON CONFLICT (order_id) DO UPDATE SET
        status = excluded.status,
        total = excluded.total,
        items = coalesce(excluded.items, orders.items),
        updated_at = now()
      RETURNING order_id, customer_id, session_id, (xmax = 0) AS created
    )
    SELECT up.order_id::text AS order_id, up.session_id::text AS session_id,
           s.utm_source::text AS utm_source, up.created AS created, up.customer_id::text AS customer_id
    FROM up LEFT JOIN sessions s ON s.id = up.session_id`,
  );
  const sessionIds = uniq(got.map((r) => r.session_id));
  await lockSessions(tx, sessionIds.filter((id) => !alreadyLocked.has(id)));
  await refreshSessionOrderFacts(tx, sessionIds);
  await refreshCustomers(tx, uniq([...got.map((r) => r.customer_id), ...extraCustomers]));
  return got;
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
