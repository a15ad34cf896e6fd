import { listAdSpend } from "@/lib/analytics/ad-spend";
import { config } from "@/lib/config";
import { importCostCsv, importCostJson, parseCostImportParams } from "@/lib/costs/import";
import { getDb } from "@/lib/db/client";
import { readAdSpendBody } from "@/lib/http/ad-spend-body";
import { analyticsRoute } from "@/lib/http/analytics-route";
import { withGuard } from "@/lib/http/guard";
import { singleValuedParams } from "@/lib/http/query";

/** GET /api/utm/ad-spend: the spend rows dated in the range (source/campaign filters apply). */
export const GET = analyticsRoute(async ({ db, q }) => listAdSpend(db, q));

/**
 * POST /api/utm/ad-spend (SPEC 4 roi, 14): a JSON array or `{rows}`, or a CSV (text/csv body or a
 * multipart file): the generic date, utm_source, utm_campaign, amount or a Google Ads / Meta /
 * TikTok / Microsoft Advertising daily campaign export, UTF-8 or UTF-16 (lib/costs/decode.ts).
 * `source`, `currency` (the file's, when it names none), `rate`, `dry_run` (or `preview`) come
 * from the query string or the form's fields. Admins or `ingest` tokens only.
 */
export const POST = withGuard({ role: "admin", scope: "ingest", body: "json|multipart|csv" }, async (req) => {
  const body = await readAdSpendBody(req);
  const p = parseCostImportParams(singleValuedParams(req, body.fields));
  const db = await getDb();
  const answer =
    body.kind === "csv"
      ? await importCostCsv(db, body.text, { appCurrency: config().currency, source: p.source, rate: p.rate, currency: p.currency, dryRun: p.dryRun })
      : await importCostJson(db, body.value, { dryRun: p.dryRun });
  return Response.json(answer);
});
