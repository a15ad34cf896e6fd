import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { money } from "./format";
import type { AnalyticsQuery } from "./params";
import { servedByCells, type ReadOptions } from "./rollups";
import { pairFiguresFromCells, spendByPair, spendRows } from "./roi";
import { byCodePoint } from "./sort-rows";

/**
 * Spend audit (SPEC 14): tagging mistakes between ad spend and tracked sessions, per
 * utm_source + utm_campaign, over the range — as ROI pairs them (spend narrowed by the
 * source/campaign filters only, sessions by every filter):
 * - `spend_without_sessions`: pairs with spend > 0 dated in the range and no session started in it;
 *   sorted by spend descending, then source, then campaign (code-point order);
 * - `paid_sessions_without_spend`: pairs whose sessions in the range have a paid medium and that
 *   have no spend in the range; `sessions` counts those paid-medium sessions; sorted by sessions
 *   descending, then source, then campaign.
 */

export const PAID_MEDIUMS = ["cpc", "ppc", "paid_social", "paid", "display", "cpm"] as const;

export type SpendAudit = {
  spend_without_sessions: { utm_source: string; utm_campaign: string; spend: number }[];
  paid_sessions_without_spend: { utm_source: string; utm_campaign: string; sessions: number }[];
};

/** Both lists with the sessions side from day cells (source × medium × campaign). */
async function fromCells(db: Db, q: AnalyticsQuery): Promise<SpendAudit> {
  const [{ cells, pairs }, spend] = await Promise.all([pairFiguresFromCells(db, q), spendRows(db, q)]);
  const pairKey = (source: string, campaign: string) => JSON.stringify([source, campaign]);
  const spent = new Set(spend.filter((a) => Number(a.spend) > 0).map((a) => pairKey(a.utm_source, a.utm_campaign)));
  const paidMediums = new Set<string>(PAID_MEDIUMS);
  const paidSessions = new Map<string, { utm_source: string; utm_campaign: string; sessions: number }>();
  for (const c of cells) {
    const [utm_source, medium, utm_campaign] = JSON.parse(c.key) as [string, string, string];
    const k = pairKey(utm_source, utm_campaign);
    if (!paidMediums.has(medium) || spent.has(k)) continue;
    const p = paidSessions.get(k) ?? { utm_source, utm_campaign, sessions: 0 };
    p.sessions += c.sessions;
    paidSessions.set(k, p);
  }
  const byPair = (a: { utm_source: string; utm_campaign: string }, b: { utm_source: string; utm_campaign: string }) =>
    byCodePoint(a.utm_source, b.utm_source) || byCodePoint(a.utm_campaign, b.utm_campaign);
  return {
    spend_without_sessions: spend
      .filter((a) => Number(a.spend) > 0 && !((pairs.get(pairKey(a.utm_source, a.utm_campaign))?.sessions ?? 0) > 0))
      .map((a) => ({ utm_source: a.utm_source, utm_campaign: a.utm_campaign, spend: Number(a.spend) }))
      .sort((a, b) => b.spend - a.spend || byPair(a, b))
      .map((r) => ({ ...r, spend: money(r.spend) })),
    paid_sessions_without_spend: [...paidSessions.values()].filter((p) => p.sessions > 0).sort((a, b) => b.sessions - a.sessions || byPair(a, b)),
  };
}

export async function getSpendAudit(db: Db, q: AnalyticsQuery, opts: ReadOptions = {}): Promise<SpendAudit> {
  if (await servedByCells(db, q.range, opts)) return fromCells(db, q);
  const spendCte = spendByPair(q);
  const paid = sql.join(PAID_MEDIUMS.map((m) => sql`${m}`), sql`, `);
  const [noSessions, noSpend] = await Promise.all([
    rows<{ utm_source: string; utm_campaign: string; spend: number }>(
      db,
      sql`with sp as (${spendCte})
          select sp.utm_source::text, sp.utm_campaign::text, sp.spend
          from sp
          where sp.spend > 0
            and not exists (select 1 from sessions s
                            where ${sessionWhere(q, "s")} and s.utm_source = sp.utm_source and s.utm_campaign = sp.utm_campaign)
          order by sp.spend desc, sp.utm_source collate "C", sp.utm_campaign collate "C"`,
    ),
    rows<{ utm_source: string; utm_campaign: string; sessions: number }>(
      db,
      sql`with sp as (${spendCte})
          select s.utm_source::text, s.utm_campaign::text, count(*) as sessions
          from sessions s
          where ${sessionWhere(q, "s")} and s.utm_medium in (${paid})
            and not exists (select 1 from sp where sp.utm_source = s.utm_source and sp.utm_campaign = s.utm_campaign and sp.spend > 0)
          group by 1, 2
          order by sessions desc, s.utm_source collate "C", s.utm_campaign collate "C"`,
    ),
  ]);
  return {
    spend_without_sessions: noSessions.map((r) => ({ ...r, spend: money(r.spend) })),
    paid_sessions_without_spend: noSpend,
  };
}
