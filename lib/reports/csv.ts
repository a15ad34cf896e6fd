import { pick, toCsv } from "@/lib/analytics/csv";
import { exportFilename } from "@/lib/analytics/export-csv";
import type { ReportData } from "./types";

/**
 * The report's CSV attachments: the full breakdowns behind the e-mail's top-N tables, written by
 * the same CSV helper (formula-injection safe) and named like `/api/utm/export-csv`
 * (utm-<report>-<start>-<end>.csv), so a recipient's spreadsheet matches a dashboard export.
 */

export type Attachment = { filename: string; content: string };

const BREAKDOWN_FIELDS = ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"];
const LTV_FIELDS = ["utm_source", "customers", "orders", "revenue", "ltv", "aov", "orders_per_customer", "repeat_rate"];

export function reportAttachments(data: ReportData): Attachment[] {
  const q = { range: data.range };
  return [
    { filename: exportFilename("sources", q), content: toCsv(BREAKDOWN_FIELDS, data.sources.rows.map((r) => pick(r, BREAKDOWN_FIELDS))) },
    { filename: exportFilename("campaigns", q), content: toCsv(BREAKDOWN_FIELDS, data.campaigns.rows.map((r) => pick(r, BREAKDOWN_FIELDS))) },
    { filename: exportFilename("ltv", q), content: toCsv(LTV_FIELDS, data.ltv.map((r) => pick(r, LTV_FIELDS))) },
  ];
}
