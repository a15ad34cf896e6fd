import { getDb, getReadDb } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { json } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";
import { singleValuedParams } from "@/lib/http/query";
import { isReportPeriod, REPORT_PERIODS } from "@/lib/reports/periods";
import { recipientsForCron, sendReports } from "@/lib/reports/send-reports";
import { config } from "@/lib/config";
import { sendChannelReports } from "@/lib/notify/report-channels";

/**
 * GET /api/cron/utm-report?period=week|month|day (SPEC 7), scheduled by vercel.json. Sends the
 * last complete period's report to that period's subscriptions; the send log makes a second
 * fire (or two at once) send nothing new. Failed deliveries answer 502 so the scheduler shows
 * the run as failed; the per-recipient errors stay in the send log, never in the answer.
 */
export const dynamic = "force-dynamic";

export const GET = withGuard({ cron: true }, async (req) => {
  const period = singleValuedParams(req).period ?? null;
  if (!isReportPeriod(period)) {
    throw badRequest("Invalid parameter: period", [{ path: "period", message: `must be one of ${REPORT_PERIODS.join(", ")}` }]);
  }
  const db = await getDb();
  const readDb = await getReadDb();
  const s = await sendReports(db, { period, recipients: await recipientsForCron(db, period), readDb });
  // SPEC 20: the same report to the Slack/Telegram channels subscribed to this period.
  const channels = await sendChannelReports(db, { period, readDb, timeoutMs: config().notifyTimeoutMs });
  const body = { period: s.period, start: s.start, end: s.end, sent: s.sent, skipped: s.skipped, failed: s.failed, channels };
  return json(body, s.failed + channels.failed > 0 ? 502 : 200, { "Cache-Control": "no-store" });
});
