import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";
import { fetchAndStoreRates, RatesSourceError } from "@/lib/ingest/rate-sources";

/**
 * GET /api/cron/rates[?date=YYYY-MM-DD] (SPEC 17.5), scheduled daily by vercel.json with
 * CRON_SECRET: fetches RATES_URL's rates of the day, stores them and converts the orders waiting
 * for them. A source that cannot be reached or answers something else: 502 with the reason, so
 * the scheduler shows the run as failed; nothing is stored then.
 */
export const dynamic = "force-dynamic";

export const GET = withGuard({ cron: true }, async (req) => {
  const params = new URL(req.url).searchParams;
  const dates = params.getAll("date");
  if (dates.length > 1 && new Set(dates).size > 1) {
    return json({ error: "Invalid parameter: date", issues: [{ path: "date", message: "is given twice with different values" }] }, 400);
  }
  try {
    const got = await fetchAndStoreRates(await getDb(), dates[0] || undefined);
    return json(got, 200, { "Cache-Control": "no-store" });
  } catch (err) {
    if (err instanceof RatesSourceError) return json({ error: err.message }, 502, { "Cache-Control": "no-store" });
    throw err;
  }
});
