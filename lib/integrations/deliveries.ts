import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { AppError, type Issue } from "@/lib/errors";
import { inTransaction } from "@/lib/ingest/sql-util";

/**
 * The delivery log and deduplication of shop webhooks (SPEC 17.1, 17.2). Each delivery is claimed
 * by (platform, delivery id) in the same transaction that stores what it carries, so:
 *  - a delivery id seen before (stored or ignored) changes nothing: it only adds to `duplicates`;
 *    two copies arriving at once queue on the row, and the second is the duplicate;
 *  - a delivery whose content cannot be stored (invalid, or an order not known yet) is logged as
 *    `failed` with the reason and answered 200 (see the routes: a platform would resend the same
 *    bytes, which fail the same way); a redelivery of a failed one is tried again;
 *  - anything else (the database unreachable) rolls everything back and is thrown: the route
 *    answers 503 and the platform's retry finds the id unclaimed.
 * Rows hold no payload and no personal data, and the error text is the app's own message
 * (never a secret, a header or a value from the body).
 */

export type Platform = "shopify" | "woocommerce";
export const PLATFORMS: readonly Platform[] = ["shopify", "woocommerce"];

export type DeliveryMeta = { platform: Platform; deliveryId: string; topic: string; shop: string | null };

/**
 * What processing a claimed delivery did. `note` is kept as the row's error text (e.g. why it was
 * ignored); `resource` names the order a stored order delivery carried and when it changed.
 */
export type Processed = { outcome: "stored" | "ignored"; note?: string; resource?: { id: string; changedAt: string | null } };

/**
 * True when a newer change of this order was applied already: the platforms resend a failed
 * delivery with its original payload (Shopify for 4 hours), so a retry can arrive after a later
 * update and must not undo it. Equal times apply (orders/paid and orders/updated of one change).
 */
export async function newerApplied(tx: Db, platform: Platform, resourceId: string, changedAt: string | null): Promise<boolean> {
  if (!changedAt) return false;
  const [row] = await rows<{ n: number }>(
    tx,
    sql`SELECT 1 AS n FROM webhook_deliveries
        WHERE platform = ${platform} AND resource_id = ${resourceId} AND outcome = 'stored' AND triggered_at > ${changedAt}::timestamptz
        LIMIT 1`,
  );
  return !!row;
}

/** An instant a platform sent (header or payload) as ISO, or null when it is none. */
export function instantOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) && t > 0 && t < 253402300800000 ? new Date(t).toISOString() : null;
}

export type DeliveryAnswer =
  | { ok: true; outcome: "stored" | "ignored" | "duplicate"; note?: string }
  | { ok: false; outcome: "failed"; error: string; issues?: Issue[] };

const MAX_ERROR = 1000;

function errorText(err: AppError): string {
  const issues = (err.issues ?? []).slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  return (issues.length ? `${err.message} (${issues.join("; ")})` : err.message).slice(0, MAX_ERROR);
}

/** Client-side failures a redelivery of the same bytes cannot fix. */
const PERMANENT = new Set(["invalid_input", "not_found", "too_large"]);

export async function receiveDelivery(db: Db, meta: DeliveryMeta, work: (tx: Db) => Promise<Processed>): Promise<DeliveryAnswer> {
  const { platform, deliveryId, topic, shop } = meta;
  try {
    return await inTransaction(db, async (tx): Promise<DeliveryAnswer> => {
      const claimed = await rows<{ n: number }>(
        tx,
        sql`INSERT INTO webhook_deliveries AS d (platform, delivery_id, topic, shop, outcome)
            VALUES (${platform}, ${deliveryId}, ${topic}, ${shop}, 'stored')
            ON CONFLICT (platform, delivery_id) DO UPDATE SET received_at = now(), topic = excluded.topic, shop = excluded.shop, error = NULL
            WHERE d.outcome = 'failed'
            RETURNING 1 AS n`,
      );
      if (claimed.length === 0) {
        await tx.execute(sql`
          UPDATE webhook_deliveries SET duplicates = duplicates + 1, last_duplicate_at = now()
          WHERE platform = ${platform} AND delivery_id = ${deliveryId}`);
        return { ok: true, outcome: "duplicate" };
      }
      const done = await work(tx);
      await tx.execute(sql`
        UPDATE webhook_deliveries SET outcome = ${done.outcome}, error = ${done.note?.slice(0, MAX_ERROR) ?? null},
          resource_id = ${done.resource?.id ?? null}, triggered_at = ${done.resource?.changedAt ?? null}::timestamptz
        WHERE platform = ${platform} AND delivery_id = ${deliveryId}`);
      return done.note ? { ok: true, outcome: done.outcome, note: done.note } : { ok: true, outcome: done.outcome };
    });
  } catch (err) {
    if (!(err instanceof AppError) || !PERMANENT.has(err.code)) throw err;
    await logFailed(db, meta, errorText(err));
    return { ok: false, outcome: "failed", error: err.message, ...(err.issues ? { issues: err.issues } : {}) };
  }
}

/** A delivery that failed before or while it was processed (its own statement: the work rolled back). */
export async function logFailed(db: Db, meta: DeliveryMeta, error: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO webhook_deliveries AS d (platform, delivery_id, topic, shop, outcome, error)
    VALUES (${meta.platform}, ${meta.deliveryId}, ${meta.topic}, ${meta.shop}, 'failed', ${error.slice(0, MAX_ERROR)})
    ON CONFLICT (platform, delivery_id) DO UPDATE SET received_at = now(), error = excluded.error
    WHERE d.outcome = 'failed'`);
}

export type WebhookHealth = {
  platform: Platform;
  /** The last delivery received (any outcome, duplicates included), ISO; null when none ever came. */
  last_received_at: string | null;
  /** Deliveries received since `since`, per topic and outcome (`duplicate` = redeliveries of known ids). */
  by_topic: { topic: string; stored: number; ignored: number; failed: number; duplicate: number }[];
  totals: { stored: number; ignored: number; failed: number; duplicate: number };
  /** The most recent failed delivery, ever. */
  last_error: { at: string; topic: string; error: string } | null;
};

/**
 * Settings › Integrations: per platform, the last delivery received, the counts by topic and
 * outcome over the last `days` days (default 30) and the last error.
 */
export async function webhookHealth(db: Db, days = 30, now: Date = new Date()): Promise<WebhookHealth[]> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const counts = await rows<{ platform: Platform; topic: string; stored: number; ignored: number; failed: number; duplicate: number }>(
    db,
    sql`SELECT platform::text AS platform, topic::text AS topic,
               count(*) FILTER (WHERE outcome = 'stored')::int AS stored,
               count(*) FILTER (WHERE outcome = 'ignored')::int AS ignored,
               count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
               coalesce(sum(duplicates), 0)::int AS duplicate
        FROM webhook_deliveries
        WHERE received_at >= ${since.toISOString()}::timestamptz OR last_duplicate_at >= ${since.toISOString()}::timestamptz
        GROUP BY platform, topic ORDER BY platform, topic`,
  );
  const last = await rows<{ platform: Platform; last_received_at: string | null }>(
    db,
    sql`SELECT platform::text AS platform, max(greatest(received_at, coalesce(last_duplicate_at, received_at))) AS last_received_at
        FROM webhook_deliveries GROUP BY platform`,
  );
  const errors = await rows<{ platform: Platform; at: string; topic: string; error: string }>(
    db,
    sql`SELECT DISTINCT ON (platform) platform::text AS platform, received_at AS at, topic::text AS topic, coalesce(error, '') AS error
        FROM webhook_deliveries WHERE outcome = 'failed'
        ORDER BY platform, received_at DESC`,
  );
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  return PLATFORMS.map((platform) => {
    const by_topic = counts.filter((c) => c.platform === platform).map(({ platform: _p, ...rest }) => rest);
    const totals = { stored: 0, ignored: 0, failed: 0, duplicate: 0 };
    for (const t of by_topic) for (const k of ["stored", "ignored", "failed", "duplicate"] as const) totals[k] += t[k];
    const e = errors.find((r) => r.platform === platform);
    return {
      platform,
      last_received_at: iso(last.find((r) => r.platform === platform)?.last_received_at ?? null),
      by_topic,
      totals,
      last_error: e ? { at: iso(e.at)!, topic: e.topic, error: e.error } : null,
    };
  });
}
