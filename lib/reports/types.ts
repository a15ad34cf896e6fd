import type { AbVariant } from "@/lib/analytics/ab-test";
import type { Breakdown, BreakdownRow } from "@/lib/analytics/breakdown";
import type { FunnelStep } from "@/lib/analytics/funnel";
import type { GeneralStats } from "@/lib/analytics/general-stats";
import type { LtvRow } from "@/lib/analytics/ltv";
import type { DateRange } from "@/lib/analytics/params";
import type { RepeatRate } from "@/lib/analytics/repeat-rate";
import type { RoiTotal } from "@/lib/analytics/roi";
import type { ReportPeriod } from "./periods";

/**
 * The report as data (SPEC 7): built once by build-report.ts from the analytics layer, then
 * rendered as HTML, plain text and CSV. The figure types ARE the analytics answers' types.
 */

export type Stats = GeneralStats;
export type StatKey = keyof Stats;
export type { AbVariant, Breakdown, BreakdownRow, FunnelStep, LtvRow, RepeatRate };

export type AbWinner = {
  campaign: string;
  winner: string;
  winner_lift: number | null;
  confidence: number;
  variants: AbVariant[];
};

export type ReportData = {
  period: ReportPeriod;
  range: DateRange;
  previousRange: DateRange;
  tz: string;
  currency: string;
  kpis: { current: Stats; previous: Stats; change: Record<StatKey, number | null> };
  /** Full breakdowns (the CSV attachments); the e-mail shows the top rows. */
  sources: Breakdown;
  campaigns: Breakdown;
  funnel: FunnelStep[];
  repeatRate: RepeatRate;
  ltv: LtvRow[];
  abWinners: AbWinner[];
  /**
   * The ROI total of the period (SPEC 18): spend, ROAS of the campaigns with spend beside blended
   * ROAS (MER), each labelled; absent in reports built before it existed.
   */
  roi?: RoiTotal;
  /** The top sources' revenue under three attribution models (SPEC 13), orders placed in the range. */
  byModel: ModelLine[];
  dashboardUrl: string;
  generatedAt: string;
};

/** The models of the e-mail's "by model" line (SPEC 13): the default, the opposite end, the even split. */
export const REPORT_MODELS = ["last_non_direct", "first_click", "linear"] as const;
export type ReportModel = (typeof REPORT_MODELS)[number];
/** One top source's revenue under each of REPORT_MODELS. */
export type ModelLine = { source: string; revenue: Record<ReportModel, number> };
/** Sources in the "by model" line: the first ones of the attribution comparison (last_non_direct revenue). */
export const TOP_MODEL_SOURCES = 3;

/** How many rows each e-mail table shows (the CSVs carry all rows); LTV shows its top (ltvTopSources). */
export const TOP_ROWS = 10;
