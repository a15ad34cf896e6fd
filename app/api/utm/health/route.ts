import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { getAwaitingRate } from "@/lib/ingest/rates";
import { trackerHealth } from "@/lib/ingest/tracker-health";

/**
 * GET /api/utm/health: what a shop admin checks when figures look wrong. `tracker`: events
 * received in the last hour and day, the last one's time and hits dropped by reason (SPEC 16);
 * `awaiting_rate` (SPEC 17.5): paid orders in another currency that wait for a rate of their day
 * and so count nowhere yet, `{orders, by_currency: {USD: {orders, amount}}}` (amount as sent).
 * Signed-in users or `read` tokens.
 */
export const dynamic = "force-dynamic";

export const GET = withGuard({ role: "viewer", scope: "read" }, async () => {
  const db = await getDb();
  const [tracker, awaiting] = await Promise.all([trackerHealth(db), getAwaitingRate(db)]);
  return Response.json(
    { currency: config().currency, rates_url: config().ratesUrl !== undefined, tracker, awaiting_rate: awaiting },
    { headers: { "Cache-Control": "no-store" } },
  );
});
