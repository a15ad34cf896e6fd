import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import type { Destination } from "./destinations";

/**
 * The outbox's state changes (schema-forwarding.ts). A sender claims due rows with one atomic
 * UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED), which marks them `sending` under a
 * lease (next_attempt_at = now + lease) and a fresh claim token; concurrent senders (the
 * in-process one, the cron route, several app instances) never claim the same row at once.
 * Only the claim's token may settle a row. A row whose sender died (kill -9) is claimed again when
 * its lease runs out and re-sent with the same event id, which the platform deduplicates; a
 * `sent` row is never claimed again. Times are the database's clock (the one that stamped the
 * rows), unless the caller passes `now` (tests drive a clock that way).
 */

/** SPEC 19: transient failures are retried for up to 72 h after the order was queued. */
export const GIVE_UP_MS = 72 * 3600_000;
export const DEFAULT_LEASE_MS = 120_000;

export type Claimed = { id: number; order_id: string; event_id: string; attempts: number };
export type Claim = { token: string; rows: Claimed[] };

/** The instant to compare and stamp with: the caller's, else the database's now(). */
const at = (now: Date | undefined): SQL => (now ? sql`${now.toISOString()}::timestamptz` : sql`now()`);

const idList = (ids: readonly number[]) => sql`ARRAY(SELECT json_array_elements_text(${JSON.stringify(ids)}::json)::bigint)`;

export async function claimDue(db: Db, destination: Destination, limit: number, now: Date | undefined, leaseMs = DEFAULT_LEASE_MS): Promise<Claim> {
  const token = randomUUID();
  const got = await rows<Claimed>(
    db,
    sql`
    UPDATE forward_outbox o SET status = 'sending', claim_token = ${token}, attempts = least(o.attempts + 1, 32000),
           next_attempt_at = ${at(now)} + make_interval(secs => ${leaseMs / 1000}::float8)
    WHERE o.id IN (
      SELECT id FROM forward_outbox
      WHERE destination = ${destination} AND status IN ('queued', 'sending') AND next_attempt_at <= ${at(now)}
      ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING o.id::float8 AS id, o.order_id::text AS order_id, o.event_id::text AS event_id, o.attempts::int AS attempts`,
  );
  return { token, rows: got.map((r) => ({ ...r, id: Number(r.id) })) };
}

export async function markSent(db: Db, claim: Claim, ids: readonly number[], status: number, now: Date | undefined): Promise<number> {
  if (ids.length === 0) return 0;
  const got = await rows<{ id: number }>(
    db,
    sql`UPDATE forward_outbox SET status = 'sent', sent_at = ${at(now)}, last_status = ${status}, claim_token = NULL
        WHERE id = ANY(${idList(ids)}) AND claim_token = ${claim.token} RETURNING id`,
  );
  return got.length;
}

/** Settled for good without a send: `failed` (a permanent refusal) or `skipped` (no consent, no longer paid). */
export async function markFinal(db: Db, claim: Claim, ids: readonly number[], state: "failed" | "skipped", status: number | null, error: string, now: Date | undefined): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    UPDATE forward_outbox SET status = ${state}, last_status = ${status}, last_error = ${error}, last_error_at = ${at(now)}, claim_token = NULL
    WHERE id = ANY(${idList(ids)}) AND claim_token = ${claim.token}`);
}

/**
 * A transient failure: back to `queued` after base × 2^(attempts−1), at most the cap
 * (FORWARD_BACKOFF_BASE_MS, FORWARD_BACKOFF_MAX_MS); rows queued more than 72 h ago give up (`failed`).
 */
export async function markRetry(db: Db, claim: Claim, ids: readonly number[], status: number | null, error: string, now: Date | undefined): Promise<{ retried: number; gaveUp: number }> {
  if (ids.length === 0) return { retried: 0, gaveUp: 0 };
  const { backoffBaseMs, backoffMaxMs } = config().forwarding;
  const t = at(now);
  const got = await rows<{ status: string }>(
    db,
    sql`
    UPDATE forward_outbox SET
      status = CASE WHEN created_at <= ${t} - make_interval(secs => ${GIVE_UP_MS / 1000}::float8) THEN 'failed' ELSE 'queued' END,
      last_error = CASE WHEN created_at <= ${t} - make_interval(secs => ${GIVE_UP_MS / 1000}::float8)
                        THEN 'gave up after 72 h: ' || ${error}::text ELSE ${error}::text END,
      next_attempt_at = ${t}
        + make_interval(secs => least(${backoffBaseMs}::float8 * power(2, greatest(attempts, 1) - 1), ${backoffMaxMs}::float8) / 1000.0),
      last_status = ${status}, last_error_at = ${t}, claim_token = NULL
    WHERE id = ANY(${idList(ids)}) AND claim_token = ${claim.token}
    RETURNING status::text AS status`,
  );
  const gaveUp = got.filter((r) => r.status === "failed").length;
  return { retried: got.length - gaveUp, gaveUp };
}

export type DestinationCounts = {
  destination: string;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  last_error: string | null;
  last_error_at: string | null;
  last_sent_at: string | null;
};

export async function outboxCounts(db: Db): Promise<DestinationCounts[]> {
  const iso = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);
  return rows<DestinationCounts>(
    db,
    sql`
    SELECT c.destination, c.queued, c.sending, c.sent, c.failed, c.skipped,
           e.last_error, ${iso("e.last_error_at")} AS last_error_at, ${iso("c.last_sent_at")} AS last_sent_at
    FROM (
      SELECT destination::text AS destination,
             count(*) FILTER (WHERE status = 'queued')::int AS queued,
             count(*) FILTER (WHERE status = 'sending')::int AS sending,
             count(*) FILTER (WHERE status = 'sent')::int AS sent,
             count(*) FILTER (WHERE status = 'failed')::int AS failed,
             count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
             max(sent_at) AS last_sent_at
      FROM forward_outbox GROUP BY destination) c
    LEFT JOIN LATERAL (
      SELECT last_error, last_error_at FROM forward_outbox
      WHERE destination = c.destination AND last_error IS NOT NULL AND status IN ('queued', 'failed')
      ORDER BY last_error_at DESC LIMIT 1) e ON true
    ORDER BY c.destination`,
  );
}
