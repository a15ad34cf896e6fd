import type { Db } from "@/lib/db/client";
import { loadDestinations, type DestinationConfig } from "./destinations";
import { consentAllows, loadOrderFacts, type OrderFacts } from "./order-facts";
import { claimDue, DEFAULT_LEASE_MS, markFinal, markRetry, markSent, type Claim, type Claimed } from "./outbox";
import { PlatformError, type Outcome } from "./outcome";
import { PLATFORMS } from "./platforms";
import type { BuildOptions, Platform } from "./platform";
import { redact } from "./secrets";

/**
 * One pass of the sender (SPEC 19): for every enabled destination, claim due outbox rows in
 * batches, build the platform's request from the orders, send it, and settle each row: sent,
 * retried later (transient), failed (permanent) or skipped (the visitor gave no consent, or the
 * order is no longer paid, e.g. refunded or cancelled before it went out). A permanent refusal of
 * a batch is split in halves and each half sent again, so one bad event fails alone rather than
 * taking its batch with it. Destinations are sent in parallel, each one batch after the other.
 * Used by the in-process loop (loop.ts) and GET /api/cron/forward.
 */

export type PassOptions = {
  now?: () => Date;
  /** Events per request, at most each platform's limit. */
  batchSize?: number;
  /** Stop after this many claimed rows per destination (a pass stays bounded; the next goes on). */
  maxRows?: number;
  leaseMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type PassResult = { sent: number; retried: number; failed: number; skipped: number };

const DEFAULT_BATCH = 500;
const DEFAULT_TIMEOUT_MS = 10_000;

export async function forwardPass(db: Db, opts: PassOptions = {}): Promise<PassResult> {
  const total: PassResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  const { configs } = await loadDestinations(db);
  const results = await Promise.all(configs.filter((c) => c.enabled).map((c) => forwardDestination(db, c, opts)));
  for (const r of results) for (const k of Object.keys(total) as (keyof PassResult)[]) total[k] += r[k];
  return total;
}

async function forwardDestination(db: Db, dest: DestinationConfig, opts: PassOptions): Promise<PassResult> {
  const platform = PLATFORMS[dest.destination];
  const now = opts.now ?? (() => undefined);
  const batch = Math.max(1, Math.min(opts.batchSize ?? DEFAULT_BATCH, platform.maxBatch));
  const maxRows = opts.maxRows ?? 10_000;
  const result: PassResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  let claimedRows = 0;
  while (claimedRows < maxRows) {
    const claim = await claimDue(db, dest.destination, Math.min(batch, maxRows - claimedRows), now(), opts.leaseMs ?? DEFAULT_LEASE_MS);
    if (claim.rows.length === 0) break;
    claimedRows += claim.rows.length;
    await settleClaim(db, dest, platform, claim, opts, result, now);
    if (claim.rows.length < batch) break;
  }
  return result;
}

async function settleClaim(db: Db, dest: DestinationConfig, platform: Platform, claim: Claim, opts: PassOptions, result: PassResult, now: () => Date | undefined) {
  const facts = await loadOrderFacts(db, claim.rows.map((r) => r.order_id));
  const notPaid: number[] = [];
  const noConsent: number[] = [];
  const ready: { row: Claimed; facts: OrderFacts }[] = [];
  for (const row of claim.rows) {
    const f = facts.get(row.order_id);
    if (!f || f.status !== "paid") notPaid.push(row.id);
    else if (!consentAllows(f)) noConsent.push(row.id);
    else ready.push({ row, facts: f });
  }
  await markFinal(db, claim, notPaid, "skipped", null, "the order is no longer paid", now());
  await markFinal(db, claim, noConsent, "skipped", null, "no consent: the visitor did not grant ad_user_data", now());
  result.skipped += notPaid.length + noConsent.length;
  await sendPart(db, dest, platform, claim, ready, opts, result, now);
}

async function sendPart(
  db: Db,
  dest: DestinationConfig,
  platform: Platform,
  claim: Claim,
  part: { row: Claimed; facts: OrderFacts }[],
  opts: PassOptions,
  result: PassResult,
  now: () => Date | undefined,
): Promise<void> {
  if (part.length === 0) return;
  const outcome = await send(dest, platform, part.map((p) => p.facts), { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const ids = part.map((p) => p.row.id);
  if (outcome.kind === "ok") {
    result.sent += await markSent(db, claim, ids, 200, now());
    return;
  }
  const message = redact(outcome.message, [dest.secret]);
  if (outcome.kind === "permanent" && part.length > 1) {
    const half = Math.ceil(part.length / 2);
    await sendPart(db, dest, platform, claim, part.slice(0, half), opts, result, now);
    await sendPart(db, dest, platform, claim, part.slice(half), opts, result, now);
    return;
  }
  if (outcome.kind === "permanent") {
    await markFinal(db, claim, ids, "failed", outcome.status, message, now());
    result.failed += ids.length;
    opts.log?.(`forwarding to ${dest.destination}: order refused for good (${message})`);
    return;
  }
  const r = await markRetry(db, claim, ids, outcome.status, message, now());
  result.retried += r.retried;
  result.failed += r.gaveUp;
  opts.log?.(`forwarding to ${dest.destination}: ${ids.length} events wait for a retry (${message})`);
}

/** Builds and sends one request; never throws (every failure is an Outcome with a message free of secrets). */
export async function send(dest: DestinationConfig, platform: Platform, events: readonly OrderFacts[], opts: BuildOptions): Promise<Outcome & { body?: string }> {
  try {
    const req = await platform.build(dest, events, opts);
    const res = await fetch(req.url, { method: "POST", headers: req.headers, body: req.body, signal: AbortSignal.timeout(opts.timeoutMs) });
    const text = await res.text().catch(() => "");
    const outcome = platform.classify(res.status, text);
    if (res.status === 401) platform.onUnauthorized?.(dest);
    return outcome.kind === "ok" ? { ...outcome, body: text.slice(0, 2000) } : { ...outcome, message: redact(outcome.message, [dest.secret]) };
  } catch (err) {
    if (err instanceof PlatformError) return { kind: err.kind, status: err.status, message: redact(err.message, [dest.secret]) };
    const e = err as Error;
    const why = e.name === "TimeoutError" ? `no answer within ${opts.timeoutMs} ms` : `cannot reach the platform (${e.name})`;
    return { kind: "transient", status: null, message: `${dest.destination}: ${why}` };
  }
}
