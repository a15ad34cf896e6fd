import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { attributionCsvTable } from "./attribution";
import { BREAKDOWN_DIMENSIONS, getBreakdown, type BreakdownDimension } from "./breakdown";
import { cohortParamsSchema, getCohortAnalysis, PAYBACK_BASES } from "./cohort";
import { csvChunk, CSV_DIALECTS, EXCEL_BOM, pick, toCsv, type Cell, type CsvDialect } from "./csv";
import { getEvents } from "./events";
import { getLtvComparison } from "./ltv";
import { parseParams, type AnalyticsQuery, type Period, type SearchInput } from "./params";
import { getRoi, parseRoiParams } from "./roi";
import { COHORT_DEFAULT_PERIOD } from "./vocabulary";
import { parseSortParam, sortCells } from "./sort-rows";
import { fetchSessionsPage, type Cursor } from "./sessions-list";

/**
 * CSV export of a report (SPEC 4): the same range and filters as the JSON endpoints, a header
 * line then one line per row, no total line. `sessions` is streamed: keyset pages of
 * EXPORT_CHUNK rows are queried one at a time as the client reads, so memory stays flat
 * whatever the number of sessions.
 */

export const EXPORT_REPORTS = [
  "sessions",
  "sources",
  "campaigns",
  "content",
  "geo",
  "devices",
  "browsers",
  "operating-systems",
  "mediums",
  "terms",
  "landing-pages",
  "referrers",
  "channels",
  "events",
  "roi",
  "ltv",
  "cohort",
  "attribution",
] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];
export const EXPORT_CHUNK = 5000;

const schema = z.object({
  report: z.enum(EXPORT_REPORTS, { error: `must be one of ${EXPORT_REPORTS.join(", ")}` }),
  // csv (default, for programs) or excel (BOM, `;`, decimal comma: csv.ts CSV_DIALECTS).
  format: z.enum(CSV_DIALECTS, { error: `must be one of ${CSV_DIALECTS.join(", ")}` }).default("csv"),
});

export function parseExportReport(sp: SearchInput): ExportReport {
  return parseParams(sp, schema).report;
}

export function parseExportFormat(sp: SearchInput): CsvDialect {
  return parseParams(sp, schema).format;
}

/** The default range of a report's CSV, like its JSON endpoint: cohorts the last 90 days. */
export function exportDefaultPeriod(sp: URLSearchParams): Period | undefined {
  return sp.get("report") === "cohort" ? COHORT_DEFAULT_PERIOD : undefined;
}

/** The cohort export parses its own `basis` (all | paid, SPEC 18); the others take accrual | cash. */
export function exportOwnBasis(sp: URLSearchParams): readonly string[] {
  return sp.get("report") === "cohort" ? PAYBACK_BASES : [];
}

export const SESSION_FIELDS = [
  "id",
  "started_at",
  "visitor_id",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_content",
  "utm_term",
  "country",
  "device",
  "browser",
  "os",
  "page_views",
  "is_returning",
  "is_converted",
  "revenue",
] as const;
const BREAKDOWN_FIELDS = ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "net_revenue", "margin", "orders_without_cost", "aov", "revenue_per_session"];
const ROI_FIELDS = ["utm_source", "utm_campaign", "spend", "sessions", "orders", "revenue", "net_revenue", "margin", "orders_without_cost", "roi", "roas", "cpa", "poas", "new_customers", "ncac"];
const EVENT_FIELDS = ["type", "name", "events", "sessions", "visitors", "conversion_rate"];
const LTV_FIELDS = ["utm_source", "customers", "orders", "revenue", "net_revenue", "margin", "margin_ltv", "orders_without_cost", "ltv", "aov", "orders_per_customer", "repeat_rate"];

export function exportFilename(report: ExportReport, q: Pick<AnalyticsQuery, "range">): string {
  return `utm-${report}-${q.range.start}-${q.range.end}.csv`;
}

/** A CSV export: its file name and its text, whole or as a stream (the edge makes the answer). */
export type CsvFile = { filename: string; body: string | ReadableStream<Uint8Array> };

/** Every selected session, newest first, pulled chunk by chunk as the reader consumes. */
export function sessionsCsvStream(db: Db, q: AnalyticsQuery, chunk = EXPORT_CHUNK, dialect: CsvDialect = "csv"): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: Cursor | undefined;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        const page = await fetchSessionsPage(db, q, chunk, cursor);
        const text = (first && dialect === "excel" ? EXCEL_BOM : "") + csvChunk(SESSION_FIELDS, page.items.map((r) => pick(r, SESSION_FIELDS)), first, dialect);
        first = false;
        if (text) controller.enqueue(enc.encode(text));
        cursor = page.next;
        if (!cursor) {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 1 },
  );
}

/** The CSV answer of `export-csv` for a parsed query and the raw parameters. */
export async function exportCsv(db: Db, q: AnalyticsQuery, sp: URLSearchParams): Promise<CsvFile> {
  const report = parseExportReport(sp);
  const dialect = parseExportFormat(sp);
  if (report === "sessions") {
    // First page is fetched by the stream; errors after the headers are sent cannot become 4xx.
    return { filename: exportFilename(report, q), body: sessionsCsvStream(db, q, EXPORT_CHUNK, dialect) };
  }
  let fields: string[];
  let data: Cell[][];
  if (report in BREAKDOWN_DIMENSIONS) {
    const dim = report as BreakdownDimension;
    const b = await getBreakdown(db, q, dim);
    fields = dim === "geo" ? ["key", "name", ...BREAKDOWN_FIELDS.slice(1)] : BREAKDOWN_FIELDS;
    data = b.rows.map((r) => pick(r, fields));
  } else if (report === "roi") {
    const r = await getRoi(db, q, parseRoiParams(sp));
    // SPEC 18: no total line (SPEC 4), so each line carries the selection's two ROAS, named apart.
    fields = [...ROI_FIELDS, "selection_paid_roas", "selection_blended_roas"];
    data = r.rows.map((row) => [...pick(row, ROI_FIELDS), r.total.roas, r.total.blended_roas]);
  } else if (report === "events") {
    fields = EVENT_FIELDS;
    data = (await getEvents(db, q)).rows.map((row) => pick(row, fields));
  } else if (report === "ltv") {
    fields = LTV_FIELDS;
    data = (await getLtvComparison(db, q)).map((row) => pick(row, fields));
  } else if (report === "attribution") {
    // SPEC 13: the compare data, one line per key and model, honouring `dimension`.
    ({ fields, data } = await attributionCsvTable(db, q, sp));
  } else {
    // Cohorts default to the last 90 days (exportDefaultPeriod, given to the route).
    const p = parseParams(sp, cohortParamsSchema);
    const c = await getCohortAnalysis(db, q, { cohortType: p.cohort_type, metric: p.metric, periods: p.periods, basis: p.basis });
    fields = ["cohort", "size", ...c.periods];
    data = c.cohorts.map((cohort, i) => [cohort, c.sizes[i], ...c.matrix[i]]);
  }
  // `sort=col|-col`: the rows in the order the dashboard's table shows them.
  data = sortCells(fields, data, parseSortParam(sp.get("sort"), fields));
  return { filename: exportFilename(report, q), body: toCsv(fields, data, dialect) };
}
