import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { orderAmountSent } from "@/lib/db/refunded";
import { AppError, badRequest, zodIssues, type Issue } from "@/lib/errors";
import { sanitizeJson } from "./clean";
import { lockSessions, refreshCustomers, refreshSessionOrderFacts } from "./facts";
import { embeddedRefundSchema, optionalText, refundIdSchema } from "./schemas";
import { inTransaction, uniq } from "./sql-util";

/**
 * Refunds (SPEC 17.5): `POST /api/ingest/refunds`, an order's `refunds[]` (orders.ts) and the
 * webhooks (Shopify `refunds/create`, Woo `refunds[]`) all write through writeRefunds, upserted by
 * refund_id: the same refund again changes nothing, a changed amount (or date, reason) updates it.
 * The refunds of an order never add up to more than its total. Domain only: coded errors, no HTTP.
 */

export const MAX_REFUNDS_PER_REQUEST = 1000;

/** A validated refund; `refunded_at` null: now for a new refund, unchanged for a known one. */
export type ValidRefund = {
  refund_id: string;
  order_id: string;
  amount: number;
  refunded_at: string | null;
  reason: string | null;
};

export type RefundResult = { refund_id: string; order_id: string; created: boolean; changed: boolean };

export const refundSchema = embeddedRefundSchema.extend({
  order_id: refundIdSchema,
  reason: optionalText(500),
});

type Written = { order_ids: string[]; results: RefundResult[] };

/**
 * Upserts refunds in the caller's transaction (orders must exist: unknown ones are a 404 naming
 * them). Locks the orders first, so concurrent refunds of one order queue and the total check
 * sees them all. `pathOf(i)` names the refund in issues. The caller refreshes the facts of the
 * returned orders' sessions and customers (ingestRefunds does; upsertOrders does for its own).
 */
export async function writeRefunds(
  tx: Db,
  refunds: readonly ValidRefund[],
  pathOf: (index: number) => string,
): Promise<Written> {
  if (refunds.length === 0) return { order_ids: [], results: [] };
  // The same refund_id twice keeps the last one (an upsert never touches a row twice).
  const lastIndex = new Map<string, number>();
  refunds.forEach((r, i) => lastIndex.set(r.refund_id, i));
  const unique = [...lastIndex.values()].sort((a, b) => a - b).map((i) => refunds[i]);
  const orderIds = uniq(refunds.map((r) => r.order_id)).sort();
  const known = await rows<{ order_id: string }>(
    tx,
    sql`SELECT order_id::text AS order_id FROM orders
        WHERE order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json)))
        ORDER BY order_id FOR NO KEY UPDATE`,
  );
  const knownIds = new Set(known.map((r) => r.order_id));
  const unknown: Issue[] = [];
  refunds.forEach((r, i) => {
    if (!knownIds.has(r.order_id)) unknown.push({ path: joinPath(pathOf(i), "order_id"), message: "no order with this order_id" });
  });
  if (unknown.length) throw new AppError("not_found", "Unknown order: send the order before its refunds", unknown);

  const json = JSON.stringify(unique);
  const input = sql`json_to_recordset(${json}::json) AS x(refund_id text, order_id text, amount numeric, refunded_at timestamptz, reason text)`;
  const elsewhere = await rows<{ refund_id: string }>(
    tx,
    sql`SELECT r.refund_id::text AS refund_id FROM ${input} JOIN order_refunds r USING (refund_id) WHERE r.order_id <> x.order_id`,
  );
  if (elsewhere.length) {
    const taken = new Set(elsewhere.map((r) => r.refund_id));
    throw badRequest(
      "A refund_id belongs to another order",
      refunds.flatMap((r, i) => (taken.has(r.refund_id) ? [{ path: joinPath(pathOf(i), "refund_id"), message: "belongs to another order" }] : [])),
    );
  }
  const got = await rows<{ refund_id: string; created: boolean }>(
    tx,
    sql`
    INSERT INTO order_refunds AS r (refund_id, order_id, amount, refunded_at, reason)
    SELECT x.refund_id, x.order_id, x.amount,
           coalesce(x.refunded_at, (SELECT refunded_at FROM order_refunds WHERE refund_id = x.refund_id), now()),
           coalesce(x.reason, (SELECT reason FROM order_refunds WHERE refund_id = x.refund_id))
    FROM ${input}
    ORDER BY x.refund_id
    ON CONFLICT (refund_id) DO UPDATE SET
      amount = excluded.amount, refunded_at = excluded.refunded_at, reason = excluded.reason, updated_at = now()
    WHERE (r.amount, r.refunded_at, r.reason) IS DISTINCT FROM (excluded.amount, excluded.refunded_at, excluded.reason)
    RETURNING r.refund_id::text AS refund_id, (xmax = 0) AS created`,
  );
  const over = await rows<{ order_id: string }>(
    tx,
    sql`SELECT o.order_id::text AS order_id FROM orders o JOIN order_refunds r USING (order_id)
        WHERE o.order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json)))
        GROUP BY o.order_id HAVING sum(r.amount) > min(${orderAmountSent("o")})`,
  );
  if (over.length) {
    const bad = new Set(over.map((r) => r.order_id));
    throw badRequest(
      "Refunds may not add up to more than the order's total",
      refunds.flatMap((r, i) =>
        bad.has(r.order_id) ? [{ path: joinPath(pathOf(i), "amount"), message: "the order's refunds would add up to more than its total" }] : [],
      ),
    );
  }
  const written = new Map(got.map((r) => [r.refund_id, r.created]));
  return {
    order_ids: orderIds,
    results: refunds.map((r) => ({
      refund_id: r.refund_id,
      order_id: r.order_id,
      created: written.get(r.refund_id) === true,
      changed: written.has(r.refund_id),
    })),
  };
}

/** The sessions and customers of these orders get their refund facts recomputed. */
export async function refreshOrderFacts(tx: Db, orderIds: readonly string[], alreadyLocked: ReadonlySet<string> = new Set()): Promise<void> {
  if (orderIds.length === 0) return;
  const owners = await rows<{ session_id: string | null; customer_id: string }>(
    tx,
    sql`SELECT session_id::text AS session_id, customer_id::text AS customer_id FROM orders
        WHERE order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json)))`,
  );
  const sessionIds = uniq(owners.map((r) => r.session_id));
  await lockSessions(tx, sessionIds.filter((id) => !alreadyLocked.has(id)).sort());
  await refreshSessionOrderFacts(tx, sessionIds);
  await refreshCustomers(tx, uniq(owners.map((r) => r.customer_id)));
}

export const joinPath = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

const refundList = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/**
 * POST /api/ingest/refunds: one `{order_id, refund_id, amount, refunded_at?, reason?}` or an array
 * of up to 1,000. Unknown order → not_found (404) naming it; refunds over the order's total →
 * invalid_input (400). Answer: `{refunds: [{refund_id, order_id, created, changed}]}`.
 */
export async function ingestRefunds(db: Db, body: unknown): Promise<{ refunds: RefundResult[] }> {
  const shape = refundList.safeParse(sanitizeJson(body));
  if (!shape.success) throw badRequest("Send one refund object or an array of refunds");
  const isArray = Array.isArray(shape.data);
  const raw: unknown[] = isArray ? (shape.data as unknown[]) : [shape.data];
  if (raw.length > MAX_REFUNDS_PER_REQUEST) {
    throw badRequest(`At most ${MAX_REFUNDS_PER_REQUEST} refunds per request; split the array`, [
      { path: "(root)", message: `has ${raw.length} refunds, more than ${MAX_REFUNDS_PER_REQUEST}` },
    ]);
  }
  const pathOf = (i: number) => (isArray ? `[${i}]` : "");
  const issues: Issue[] = [];
  const refunds = validateRefunds(raw, pathOf, issues);
  if (issues.length) throw badRequest("Invalid refund", issues);
  const written = await inTransaction(db, async (tx) => {
    const w = await writeRefunds(tx, refunds, pathOf);
    await refreshOrderFacts(tx, w.order_ids);
    return w;
  });
  const byId = new Map(written.results.map((r) => [r.refund_id, r]));
  return { refunds: refunds.map((r) => byId.get(r.refund_id)!) };
}

/** Validates raw refunds (issues named `pathOf(i).field`). */
export function validateRefunds(raw: readonly unknown[], pathOf: (index: number) => string, issues: Issue[]): ValidRefund[] {
  const out: ValidRefund[] = [];
  raw.forEach((item, i) => {
    const r = refundSchema.safeParse(item);
    if (!r.success) {
      issues.push(...zodIssues(r.error, pathOf(i)));
      return;
    }
    out.push({
      refund_id: r.data.refund_id,
      order_id: r.data.order_id,
      amount: r.data.amount,
      refunded_at: r.data.refunded_at ?? null,
      reason: r.data.reason ?? null,
    });
  });
  return out;
}
