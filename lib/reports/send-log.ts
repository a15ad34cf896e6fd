import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import type { ReportPeriod } from "./periods";

/**
 * The send log (SPEC 7, 10): a row per (period kind, period start, recipient) is CLAIMED under the
 * unique key before anything is sent, so two cron fires, or a cron and a CLI run at once, send
 * once. The database decides who wins (INSERT … ON CONFLICT DO NOTHING RETURNING), never a
 * read-then-write in JS.
 *
 * status: sending → sent | failed. A failed send may be claimed again by a later run; a sent one
 * only with `force`. A row stuck in `sending` (the process died mid-send) is reclaimable after
 * STALE_MINUTES, so a crash does not block a period forever.
 */

export type SendStatus = "sending" | "sent" | "failed";
export const STALE_MINUTES = 15;

export type SendKey = { period: ReportPeriod; periodStart: string; periodEnd: string; recipient: string };
export type Claim = { id: number; retried: boolean };

/** Normalised so `A@x.com` and `a@x.com ` share one row. */
export const normaliseRecipient = (email: string): string => email.trim().toLowerCase();

export async function claimSend(db: Db, key: SendKey, opts: { force?: boolean } = {}): Promise<Claim | null> {
  const recipient = normaliseRecipient(key.recipient);
  const inserted = await rows<{ id: number }>(
    db,
    sql`insert into report_sends (period, period_start, period_end, recipient, status)
        values (${key.period}, ${key.periodStart}::date, ${key.periodEnd}::date, ${recipient}, 'sending')
        on conflict (period, period_start, recipient) do nothing
        returning id::int as id`,
  );
  if (inserted.length) return { id: inserted[0].id, retried: false };
  // The row exists: take it over only from a state that allows it, in one conditional UPDATE so
  // concurrent claimants cannot both win.
  const reclaimable = opts.force
    ? sql`(status <> 'sending' or created_at < now() - make_interval(mins => ${STALE_MINUTES}))`
    : sql`(status = 'failed' or (status = 'sending' and created_at < now() - make_interval(mins => ${STALE_MINUTES})))`;
  const updated = await rows<{ id: number }>(
    db,
    sql`update report_sends
        set status = 'sending', error = null, message_id = null, sent_at = null, created_at = now(),
            period_end = ${key.periodEnd}::date
        where period = ${key.period} and period_start = ${key.periodStart}::date and recipient = ${recipient}
          and ${reclaimable}
        returning id::int as id`,
  );
  return updated.length ? { id: updated[0].id, retried: true } : null;
}

export async function markSent(db: Db, id: number, messageId: string): Promise<void> {
  await db.execute(sql`update report_sends set status = 'sent', message_id = ${messageId}, sent_at = now(), error = null where id = ${id}`);
}

export async function markFailed(db: Db, id: number, error: string): Promise<void> {
  // Kept short: the log is for operators, and provider errors can be long.
  await db.execute(sql`update report_sends set status = 'failed', error = ${error.slice(0, 500)} where id = ${id}`);
}

export type SendRow = {
  id: number;
  period: string;
  period_start: string;
  period_end: string;
  recipient: string;
  status: SendStatus;
  error: string | null;
  message_id: string | null;
};

export async function listSends(db: Db, limit = 100): Promise<SendRow[]> {
  return rows<SendRow>(
    db,
    sql`select id::int as id, period::text as period, period_start::text as period_start, period_end::text as period_end,
               recipient::text as recipient, status::text as status, error, message_id
        from report_sends order by created_at desc, id desc limit ${limit}`,
  );
}
