import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { getAbTest } from "@/lib/analytics/ab-test";
import { getAttributionCompare } from "@/lib/analytics/attribution";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getCompare } from "@/lib/analytics/compare";
import { getFunnel } from "@/lib/analytics/funnel";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { dateInZone, queryToParams, type AnalyticsQuery, type DateRange } from "@/lib/analytics/params";
import { getRepeatRate } from "@/lib/analytics/repeat-rate";
import { getRoi } from "@/lib/analytics/roi";
import type { ReportWindow } from "./periods";
import { REPORT_MODELS, TOP_MODEL_SOURCES, type AbWinner, type ModelLine, type ReportData } from "./types";

/**
 * Builds the report's data ONCE, only from the analytics layer (the same functions the API and
 * the dashboard answer with, so an e-mail figure always equals the dashboard's for that range);
 * it has no SQL of its own. Rendering (HTML, text, CSV) reads this object and computes nothing.
 */

/** At most this many campaigns are A/B-tested per report (the busiest ones by sessions). */
export const AB_CAMPAIGN_LIMIT = 20;

export function reportQuery(range: DateRange, tz: string, now: Date): AnalyticsQuery {
  return { range, period: "custom", filters: {}, tz, today: dateInZone(now, tz), now };
}

export function dashboardUrl(range: DateRange, appUrl: string = config().appUrl): string {
  return `${appUrl}/dispatcher?${queryToParams({ range, period: "custom", filters: {} }).toString()}`;
}

export async function buildReport(db: Db, window: ReportWindow, opts: { now?: Date } = {}): Promise<ReportData> {
  const now = opts.now ?? new Date();
  const q = reportQuery(window.current, window.tz, now);

  const [compare, sources, campaigns, funnel, repeatRate, ltv, attribution, roi] = await Promise.all([
    getCompare(db, q, { previous: window.previous }),
    getBreakdown(db, q, "sources"),
    getBreakdown(db, q, "campaigns"),
    getFunnel(db, q),
    getRepeatRate(db, q),
    getLtvComparison(db, q),
    getAttributionCompare(db, q, "utm_source"),
    getRoi(db, q),
  ]);
  // The comparison's rows come sorted by last_non_direct revenue: its first ones are the top sources.
  const byModel: ModelLine[] = attribution.rows.slice(0, TOP_MODEL_SOURCES).map((r) => ({
    source: r.key,
    revenue: Object.fromEntries(REPORT_MODELS.map((m) => [m, r.results[m].revenue])) as ModelLine["revenue"],
  }));

  // A/B candidates: campaigns with sessions in the range (the busiest first); only a test with
  // two or more variants and a significant winner makes it into the e-mail.
  const candidates = campaigns.rows.filter((r) => r.key !== "(none)").slice(0, AB_CAMPAIGN_LIMIT);
  const abWinners: AbWinner[] = [];
  for (const c of candidates) {
    const ab = await getAbTest(db, q, { campaign: c.key });
    if (ab.variants.length >= 2 && ab.is_significant && ab.winner !== null && ab.confidence !== null) {
      abWinners.push({ campaign: ab.campaign, winner: ab.winner, winner_lift: ab.winner_lift, confidence: ab.confidence, variants: ab.variants });
    }
  }

  return {
    period: window.period,
    range: window.current,
    previousRange: window.previous,
    tz: window.tz,
    currency: config().currency,
    kpis: { current: compare.current.stats, previous: compare.previous.stats, change: compare.change },
    sources,
    campaigns,
    funnel: funnel.steps,
    repeatRate,
    ltv,
    abWinners,
    roi: roi.total,
    byModel,
    dashboardUrl: dashboardUrl(window.current),
    generatedAt: now.toISOString(),
  };
}
