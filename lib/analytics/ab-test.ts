import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { money, pct, ratio, round2 } from "./format";
import { paramSchemas, type AnalyticsQuery } from "./params";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { fromCents, sumBy } from "./rollups/sum";
import { figures } from "./session-figures";
import { byCodePoint } from "./sort-rows";
import { probabilityToBeBest, sampleSizePerVariant, twoProportionZTest } from "./stats";

/**
 * A/B test of a campaign's creatives (SPEC 5.4): the campaign's sessions in the range (and the
 * other filters), one variant per utm_content (`(none)` is stored for unset). Per-variant figures
 * are one GROUP BY over the sessions' maintained facts; the statistics run on the few aggregated
 * variants in lib/analytics/stats.ts.
 */

export type AbVariant = {
  utm_content: string;
  sessions: number;
  conversions: number;
  conversion_rate: number;
  revenue: number;
  revenue_per_session: number;
  aov: number;
  probability_to_be_best: number;
};

export type AbTestAnswer = {
  campaign: string;
  variants: AbVariant[];
  winner: string | null;
  winner_lift: number | null;
  confidence: number | null;
  is_significant: boolean;
  min_sessions_per_variant: number | null;
};

export const abTestParamsSchema = z.object({
  campaign: paramSchemas.text.optional(),
});

type VariantSums = { utm_content: string; sessions: number; conversions: number; orders: number; revenue: number };

export async function getAbTest(db: Db, q: AnalyticsQuery, opts: { campaign: string } & ReadOptions): Promise<AbTestAnswer> {
  const got = (await servedByCells(db, q.range, opts)) && !q.filters.utm_campaign ? await fromCells(db, q, opts.campaign) : await fromSessions(db, q, opts.campaign);
  // Exact ordering by rate without float division: x1/n1 vs x2/n2 ⇔ x1·n2 vs x2·n1 (n > 0 here).
  const byRate = (a: { conversions: number; sessions: number }, b: { conversions: number; sessions: number }) =>
    b.conversions * a.sessions - a.conversions * b.sessions;
  got.sort((a, b) => byRate(a, b) || b.sessions - a.sessions || byCodePoint(a.utm_content, b.utm_content));

  const pBest = probabilityToBeBest(got.map((v) => ({ conversions: v.conversions, sessions: v.sessions })));
  const variants: AbVariant[] = got.map((v, i) => ({
    utm_content: v.utm_content,
    sessions: v.sessions,
    conversions: v.conversions,
    conversion_rate: pct(v.conversions, v.sessions),
    revenue: money(v.revenue),
    revenue_per_session: ratio(v.revenue, v.sessions),
    aov: ratio(v.revenue, v.orders),
    probability_to_be_best: round2(pBest[i] * 100),
  }));

  const [top, second] = got;
  const hasWinner = got.length >= 2 && byRate(top, second) < 0;
  if (!hasWinner) {
    return { campaign: opts.campaign, variants, winner: null, winner_lift: null, confidence: null, is_significant: false, min_sessions_per_variant: null };
  }
  const p1 = top.conversions / top.sessions;
  const p2 = second.conversions / second.sessions;
  const confidence = round2(twoProportionZTest(top.conversions, top.sessions, second.conversions, second.sessions).confidence);
  return {
    campaign: opts.campaign,
    variants,
    winner: top.utm_content,
    winner_lift: p2 === 0 ? null : round2(((p1 - p2) / p2) * 100),
    confidence,
    // Judged on the figure the answer shows, so "95.00" never reads as not significant.
    is_significant: confidence >= 95,
    min_sessions_per_variant: p2 === 0 ? null : sampleSizePerVariant(p1, p2),
  };
}

async function fromSessions(db: Db, q: AnalyticsQuery, campaign: string): Promise<VariantSums[]> {
  return rows<VariantSums>(
    db,
    sql`
    select s.utm_content::text as utm_content, ${figures("sessions", "conversions", "orders", "revenue")}
    from sessions s
    where s.utm_campaign = ${campaign} and ${sessionWhere(q, "s")}
    group by s.utm_content`,
  );
}

/**
 * The same sums from the day cells of the view "sessions by utm_content where utm_campaign is the
 * campaign" (a campaign filter of the query's own would need both at once: that reads sessions).
 */
async function fromCells(db: Db, q: AnalyticsQuery, campaign: string): Promise<VariantSums[]> {
  const filters = { ...q.filters, utm_campaign: { is: [campaign], not: [] } };
  const cells = await loadCells(db, { kind: "sessions", column: "utm_content", tz: q.tz, filters }, q.range, { visitors: false });
  return [...sumBy(cells, (c) => c.key)].map(([key, c]) => ({
    utm_content: key,
    sessions: c.sessions,
    conversions: c.conversions,
    orders: c.orders,
    revenue: fromCents(c.revenue_cents),
  }));
}
