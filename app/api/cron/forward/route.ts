import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";
import { forwardPass } from "@/lib/forwarding/sender";

/**
 * GET /api/cron/forward (SPEC 19) with `Authorization: Bearer $CRON_SECRET`: one pass of the
 * outbox sender, for hosts without the in-process sender (Vercel cron) or as a nudge beside it;
 * both claim rows under a lease, so running them together never sends an event twice at once.
 * Answers what the pass did: `{sent, retried, failed, skipped}`.
 */
export const dynamic = "force-dynamic";

export const GET = withGuard({ cron: true }, async () => {
  const got = await forwardPass(await getDb(), { maxRows: 5000, log: (line) => console.warn(`[utmd] ${line}`) });
  return json(got, 200, { "Cache-Control": "no-store" });
});
