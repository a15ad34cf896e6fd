import { runAlerts } from "@/lib/alerts/run";
import { currentTime } from "@/lib/clock";
import { getDb, getReadDb } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { json } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";

/**
 * GET /api/cron/alerts (SPEC 20), hourly with `Authorization: Bearer $CRON_SECRET`: evaluates the
 * alert rules and sends the queued messages within a fixed budget. Always 200 when it ran: a
 * channel that fails is retried by later runs (its error is in the outbox), so a failed delivery is
 * not a failed run; `deliveries.failed` says how many failed this time.
 */
export const dynamic = "force-dynamic";

export const GET = withGuard({ cron: true }, async (req) => {
  const startedAt = Date.now();
  if ([...new URL(req.url).searchParams.keys()].length) throw badRequest("This route takes no parameters");
  const run = await runAlerts(await getDb(), { now: currentTime(), readDb: await getReadDb(), startedAt });
  return json(run, 200, { "Cache-Control": "no-store" });
});
