import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { loadChannel, sendToChannel, type NotifyMessage } from "@/lib/notify/channels";

/**
 * The alert outbox (alert_deliveries): one row per (incident, channel, event), sent by a few
 * workers in parallel. A worker claims ONE due row at a time in a single UPDATE (… FOR UPDATE SKIP
 * LOCKED), so concurrent cron runs never send a row twice; a failure is kept with its error and
 * retried with a back-off (1, 2, 4 … 60 minutes) up to MAX_ATTEMPTS. Workers stop claiming at the
 * run's deadline, and every send carries a timeout no longer than what is left, so a hanging
 * Slack/Telegram/webhook never holds the cron answer: what is not reached waits for the next run.
 */

export const MAX_ATTEMPTS = 8;
export const CONCURRENCY = 4;
/** A row left in `sending` this long (the process died mid-send) is claimable again. */
export const STALE_SENDING_MS = 5 * 60_000;

export type OutboxSummary = { sent: number; failed: number };
export type OutboxOptions = { now: Date; deadline: number; concurrency?: number; timeoutMs?: number };

type Claimed = { id: number; incident_id: number; channel_id: number; event: "opened" | "resolved"; attempts: number };

export const backoffMs = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;

async function claimOne(db: Db, now: Date): Promise<Claimed | undefined> {
  const at = now.toISOString();
  const stale = new Date(now.getTime() - STALE_SENDING_MS).toISOString();
  const [row] = await rows<Claimed>(
    db,
    sql`update alert_deliveries d set status = 'sending', claimed_at = ${at}::timestamptz, attempts = d.attempts + 1
        where d.id = (
          select id from alert_deliveries
          where (status in ('pending', 'failed') and attempts < ${MAX_ATTEMPTS} and next_attempt_at <= ${at}::timestamptz)
             or (status = 'sending' and claimed_at < ${stale}::timestamptz and attempts < ${MAX_ATTEMPTS})
          order by next_attempt_at, id limit 1
          for update skip locked)
        returning d.id::int as id, d.incident_id::int as incident_id, d.channel_id::int as channel_id, d.event::text as event, d.attempts::int as attempts`,
  );
  return row;
}

type IncidentRow = { id: number; rule_id: number | null; rule_name: string | null; metric: string; summary: string; value: number | null; baseline: number | null; opened_at: string; resolved_at: string | null };

async function loadIncident(db: Db, id: number): Promise<IncidentRow | undefined> {
  const [r] = await rows<IncidentRow>(
    db,
    sql`select i.id::int as id, i.rule_id::int as rule_id, r.name::text as rule_name, i.metric::text as metric, i.summary,
               i.value::float8 as value, i.baseline::float8 as baseline,
               to_char(i.opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as opened_at,
               to_char(i.resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as resolved_at
        from alert_incidents i left join alert_rules r on r.id = i.rule_id where i.id = ${id}`,
  );
  return r;
}

export function incidentMessage(i: IncidentRow, event: "opened" | "resolved", now: Date): NotifyMessage {
  const name = i.rule_name ?? `rule ${i.rule_id ?? "(deleted)"}`;
  const url = `${config().appUrl}/dispatcher`;
  const head = event === "opened" ? `🔴 Alert: ${name}` : `✅ Resolved: ${name}`;
  const when = event === "opened" ? `Opened ${i.opened_at}` : `Opened ${i.opened_at}, resolved ${i.resolved_at ?? ""}`;
  return {
    event: `alert.${event}`,
    subject: `[UTM Dispatcher] ${event === "opened" ? "Alert" : "Resolved"}: ${name}`,
    text: [head, i.summary, when, url].join("\n"),
    payload: {
      type: `alert.${event}`,
      sent_at: now.toISOString(),
      rule: { id: i.rule_id, name: i.rule_name },
      incident: { id: i.id, metric: i.metric, summary: i.summary, value: i.value, baseline: i.baseline, opened_at: i.opened_at, resolved_at: i.resolved_at },
      url,
    },
  };
}

async function deliverOne(db: Db, d: Claimed, now: Date, timeoutMs: () => number): Promise<boolean> {
  try {
    const [incident, channel] = await Promise.all([loadIncident(db, d.incident_id), loadChannel(db, d.channel_id)]);
    if (!incident || !channel) throw new Error("the incident or channel no longer exists");
    // The clock starts at the network call: waiting for the database is not the channel's fault.
    await sendToChannel(db, channel, incidentMessage(incident, d.event, now), AbortSignal.timeout(timeoutMs()));
    await db.execute(sql`update alert_deliveries set status = 'sent', sent_at = ${now.toISOString()}::timestamptz, last_error = null where id = ${d.id}`);
    return true;
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const next = new Date(now.getTime() + backoffMs(d.attempts)).toISOString();
    await db.execute(sql`update alert_deliveries set status = 'failed', last_error = ${error}, next_attempt_at = ${next}::timestamptz where id = ${d.id}`);
    return false;
  }
}

export async function processOutbox(db: Db, opts: OutboxOptions): Promise<OutboxSummary> {
  const summary: OutboxSummary = { sent: 0, failed: 0 };
  const timeoutMs = opts.timeoutMs ?? config().notifyTimeoutMs;
  const worker = async () => {
    // Leave room to record the outcome after the send's own timeout.
    while (opts.deadline - Date.now() > 100) {
      const d = await claimOne(db, opts.now);
      if (!d) return;
      const left = () => Math.max(50, Math.min(timeoutMs, opts.deadline - Date.now() - 50));
      if (await deliverOne(db, d, opts.now, left)) summary.sent++;
      else summary.failed++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? CONCURRENCY }, worker));
  return summary;
}

/** Rows still owed a message (pending or failed with attempts left), for the cron answer. */
export async function pendingDeliveries(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from alert_deliveries where status <> 'sent' and attempts < ${MAX_ATTEMPTS}`);
  return Number(r?.n ?? 0);
}
