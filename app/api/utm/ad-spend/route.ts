import { listAdSpend, parseAdSpendCsv, parseAdSpendRows, upsertAdSpend } from "@/lib/analytics/ad-spend";
import { getDb } from "@/lib/db/client";
import { readAdSpendBody } from "@/lib/http/ad-spend-body";
import { analyticsRoute } from "@/lib/http/analytics-route";
import { withGuard } from "@/lib/http/guard";

/** GET /api/utm/ad-spend: the spend rows dated in the range (source/campaign filters apply). */
export const GET = analyticsRoute(async ({ db, q }) => listAdSpend(db, q));

/**
 * POST /api/utm/ad-spend (SPEC 4 roi): a JSON array, `{rows}`, or a CSV upload (text/csv body or
 * a multipart file) with date, utm_source, utm_campaign, amount. Admins or `ingest` tokens only.
 */
export const POST = withGuard({ role: "admin", scope: "ingest" }, async (req) => {
  const body = await readAdSpendBody(req);
  const parsed = body.kind === "csv" ? parseAdSpendCsv(body.text) : parseAdSpendRows(body.value);
  const stored = await upsertAdSpend(await getDb(), parsed);
  return Response.json({ rows: stored });
});
