import { sql } from "drizzle-orm";
import { z } from "zod";
import { REPORT_CHANNEL_KINDS } from "@/lib/alerts/vocabulary";
import { rows, type Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import type { Locale } from "@/lib/i18n";
import { buildReport } from "@/lib/reports/build-report";
import { reportWindow, REPORT_PERIODS, type ReportPeriod } from "@/lib/reports/periods";
import { claimSend, markFailed, markSent } from "@/lib/reports/send-log";
import { REPORT_LANGUAGES } from "@/lib/reports/subscriptions";
import { loadChannel, sendToChannel } from "./channels";
import { renderReportChat } from "./report-text";

/**
 * Scheduled reports to Slack or Telegram (SPEC 20 adds to 7): a subscription names a channel
 * instead of an e-mail address. Sends use the report's send log (report_sends) with the recipient
 * `channel:<id>`, so the same period goes once to a channel, exactly as to an e-mail recipient.
 */

export const channelSubscriptionInput = z.strictObject({
  channel_id: z.number({ error: "must be a channel id" }).int("must be a channel id").min(1).max(2_147_483_647),
  period: z.enum(REPORT_PERIODS, { error: `must be one of ${REPORT_PERIODS.join(", ")}` }),
  language: z.enum(REPORT_LANGUAGES, { error: "must be uk or en" }).default("uk"),
});

export type ChannelSubscription = { id: number; channel_id: number; period: ReportPeriod; language: Locale };

export const channelRecipient = (channelId: number) => `channel:${channelId}`;

export async function listChannelSubscriptions(db: Db, period?: ReportPeriod): Promise<ChannelSubscription[]> {
  const where = period ? sql`where period = ${period}` : sql``;
  return rows<ChannelSubscription>(
    db,
    sql`select id::int as id, channel_id::int as channel_id, period::text as period, language::text as language
        from report_channel_subscriptions ${where} order by id`,
  );
}

export async function addChannelSubscription(db: Db, input: unknown): Promise<ChannelSubscription> {
  const parsed = channelSubscriptionInput.safeParse(input);
  if (!parsed.success) throw badRequest("Invalid input", parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })));
  const s = parsed.data;
  const channel = await loadChannel(db, s.channel_id);
  if (!channel || !(REPORT_CHANNEL_KINDS as readonly string[]).includes(channel.kind)) {
    throw badRequest("Invalid input", [{ path: "channel_id", message: `must be a ${REPORT_CHANNEL_KINDS.join(" or ")} channel` }]);
  }
  const [row] = await rows<ChannelSubscription>(
    db,
    sql`insert into report_channel_subscriptions (channel_id, period, language) values (${s.channel_id}, ${s.period}, ${s.language})
        on conflict (channel_id, period) do update set language = excluded.language
        returning id::int as id, channel_id::int as channel_id, period::text as period, language::text as language`,
  );
  return row;
}

export async function removeChannelSubscription(db: Db, id: number): Promise<boolean> {
  return (await rows<{ id: number }>(db, sql`delete from report_channel_subscriptions where id = ${id} returning id::int as id`)).length > 0;
}

export type ChannelSendSummary = { sent: number; skipped: number; failed: number };

/** Sends the period's report to its channel subscriptions, each within `timeoutMs`. */
export async function sendChannelReports(db: Db, opts: { period: ReportPeriod; now?: Date; readDb?: Db; timeoutMs: number }): Promise<ChannelSendSummary> {
  const now = opts.now ?? new Date();
  const window = reportWindow(opts.period, now);
  const summary: ChannelSendSummary = { sent: 0, skipped: 0, failed: 0 };
  const claimed: { sub: ChannelSubscription; claimId: number }[] = [];
  for (const sub of await listChannelSubscriptions(db, opts.period)) {
    const claim = await claimSend(db, { period: opts.period, periodStart: window.current.start, periodEnd: window.current.end, recipient: channelRecipient(sub.channel_id) });
    if (claim) claimed.push({ sub, claimId: claim.id });
    else summary.skipped++;
  }
  if (!claimed.length) return summary;
  let data;
  try {
    data = await buildReport(opts.readDb ?? db, window, { now });
  } catch (err) {
    for (const c of claimed) await markFailed(db, c.claimId, `build failed: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  await Promise.all(
    claimed.map(async ({ sub, claimId }) => {
      try {
        const channel = await loadChannel(db, sub.channel_id);
        if (!channel) throw new Error("the channel no longer exists");
        const msg = renderReportChat(data, sub.language);
        const id = await sendToChannel(db, channel, { event: "report", subject: msg.subject, text: msg.text, payload: {} }, AbortSignal.timeout(opts.timeoutMs));
        await markSent(db, claimId, id);
        summary.sent++;
      } catch (err) {
        await markFailed(db, claimId, err instanceof Error ? err.message : String(err));
        summary.failed++;
      }
    }),
  );
  return summary;
}
