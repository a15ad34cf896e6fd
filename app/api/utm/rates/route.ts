import { getDb } from "@/lib/db/client";
import { readJsonBody } from "@/lib/http/body";
import { withGuard } from "@/lib/http/guard";
import { parseRateRows, storeRates } from "@/lib/ingest/rates";

/**
 * POST /api/utm/rates (SPEC 17.5): day rates, `[{date, currency, rate}]` or `{rows: [...]}`,
 * rate = units of APP_CURRENCY per 1 unit of currency; upserted by date + currency, then the
 * orders they apply to are converted. Admins (same-origin JSON) or `ingest` tokens.
 * Answer: {rates, added, updated, orders_converted, orders_awaiting}.
 */
export const dynamic = "force-dynamic";

/** 10,000 rows of ~60 bytes; anything far larger is not rates. */
const MAX_RATES_BODY_BYTES = 1024 * 1024;

export const POST = withGuard({ role: "admin", scope: "ingest", body: "json" }, async (req) => {
  const rows = parseRateRows(await readJsonBody(req, MAX_RATES_BODY_BYTES));
  return Response.json(await storeRates(await getDb(), rows, "api"), { headers: { "Cache-Control": "no-store" } });
});
