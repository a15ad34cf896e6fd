import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows as queryRows, type Db } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { money } from "./format";

/**
 * Campaign matching (SPEC 18): platform campaigns with spend whose utm_campaign matches no
 * session of their source get suggestions an admin accepts in one click (an entry of the
 * campaign map, lib/analytics/campaign-map.ts). A candidate is a utm_campaign of the same source's
 * sessions, found by, in this order of trust:
 *  1. `utm_id`: a session's utm_id equals the platform's campaign id (score 1);
 *  2. `slug`: the same normalised slug ("Spring Sale 2026" ~ "spring-sale-2026", score 0.9);
 *  3. `tokens`: the slugs share most words (Jaccard ≥ 0.5, or every word of the shorter and at
 *     least two; score 0.8 × Jaccard).
 */

export type SuggestionReason = "utm_id" | "slug" | "tokens";
export type CampaignSuggestion = {
  utm_source: string;
  platform_campaign: string;
  platform_campaign_id: string | null;
  /** Spend of the platform campaign (all days stored), APP_CURRENCY. */
  spend: number;
  utm_campaign: string;
  reason: SuggestionReason;
  score: number;
  /** Sessions of the candidate utm_campaign (its source). */
  sessions: number;
};
export type CampaignSuggestions = { suggestions: CampaignSuggestion[]; unmatched: number };

const PER_CAMPAIGN = 3;
/** Candidate utm_campaigns per source read (the most visited): enough for any real shop's campaign list. */
const MAX_CANDIDATES = 5000;
const MAX_UNMATCHED = 500;

/** Lower case, accents dropped, every run of other characters one "_" ("Spring Sale – UA" → "spring_sale_ua"). */
export function campaignSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
}

const tokensOf = (slug: string) => new Set(slug.split("_").filter((t) => t !== ""));

/** The token score of two slugs (0 when they do not overlap enough). */
export function tokenScore(a: string, b: string): number {
  const ta = tokensOf(a);
  const tb = tokensOf(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const jaccard = shared / (ta.size + tb.size - shared);
  const coversShorter = shared >= 2 && shared === Math.min(ta.size, tb.size);
  return jaccard >= 0.5 || coversShorter ? jaccard : 0;
}

type Unmatched = { utm_source: string; platform_campaign: string; platform_campaign_id: string | null; spend: number };
type Candidate = { utm_source: string; utm_campaign: string; sessions: number };

/** Only these platform campaigns (an import's), or all unmatched ones when omitted. */
export type SuggestionScope = { utm_source: string; platform_campaign: string }[];

export async function campaignSuggestions(db: Db, scope?: SuggestionScope, limit = 200): Promise<CampaignSuggestions> {
  if (scope && scope.length === 0) return { suggestions: [], unmatched: 0 };
  const scopeJson = scope ? JSON.stringify(scope) : null;
  const unmatched = await queryRows<Unmatched>(
    db,
    sql`select a.utm_source, a.platform_campaign, max(a.platform_campaign_id) as platform_campaign_id, sum(a.amount) as spend
        from ad_spend a
        where a.platform_campaign is not null
          and (${scopeJson}::json is null or exists (
                select 1 from json_to_recordset(${scopeJson}::json) as t(utm_source text, platform_campaign text)
                where t.utm_source = a.utm_source and t.platform_campaign = a.platform_campaign))
          and not exists (select 1 from sessions s where s.utm_campaign = a.utm_campaign and s.utm_source = a.utm_source)
        group by a.utm_source, a.platform_campaign
        order by sum(a.amount) desc, a.utm_source collate "C", a.platform_campaign collate "C"
        limit ${MAX_UNMATCHED}`,
  );
  if (unmatched.length === 0) return { suggestions: [], unmatched: 0 };
  const sources = [...new Set(unmatched.map((u) => u.utm_source))];
  const ids = [...new Set(unmatched.map((u) => u.platform_campaign_id).filter((x): x is string => x !== null))];
  const [candidates, byId] = await Promise.all([
    queryRows<Candidate>(
      db,
      sql`select s.utm_source, s.utm_campaign, count(*)::int as sessions
          from sessions s
          where s.utm_source in (select json_array_elements_text(${JSON.stringify(sources)}::json)) and s.utm_campaign <> '(none)'
          group by s.utm_source, s.utm_campaign
          order by count(*) desc, s.utm_campaign collate "C"
          limit ${MAX_CANDIDATES}`,
    ),
    ids.length === 0
      ? Promise.resolve([] as (Candidate & { utm_id: string })[])
      : queryRows<Candidate & { utm_id: string }>(
          db,
          sql`select s.utm_id, s.utm_source, s.utm_campaign, count(*)::int as sessions
              from sessions s
              where s.utm_id in (select json_array_elements_text(${JSON.stringify(ids)}::json))
              group by s.utm_id, s.utm_source, s.utm_campaign`,
        ),
  ]);
  const suggestions: CampaignSuggestion[] = [];
  for (const u of unmatched) {
    const got = new Map<string, { reason: SuggestionReason; score: number; sessions: number }>();
    const offer = (c: Candidate, reason: SuggestionReason, score: number) => {
      const prev = got.get(c.utm_campaign);
      if (!prev || prev.score < score) got.set(c.utm_campaign, { reason, score, sessions: c.sessions });
    };
    for (const c of byId) if (c.utm_id === u.platform_campaign_id && c.utm_source === u.utm_source) offer(c, "utm_id", 1);
    const slug = campaignSlug(u.platform_campaign);
    for (const c of candidates) {
      if (c.utm_source !== u.utm_source) continue;
      const other = campaignSlug(c.utm_campaign);
      if (other === slug && slug !== "") offer(c, "slug", 0.9);
      else {
        const t = tokenScore(slug, other);
        if (t > 0) offer(c, "tokens", Math.round(0.8 * t * 1000) / 1000);
      }
    }
    const best = [...got.entries()]
      .sort((a, b) => b[1].score - a[1].score || b[1].sessions - a[1].sessions || (a[0] < b[0] ? -1 : 1))
      .slice(0, PER_CAMPAIGN);
    for (const [utm_campaign, g] of best) {
      suggestions.push({ utm_source: u.utm_source, platform_campaign: u.platform_campaign, platform_campaign_id: u.platform_campaign_id, spend: money(Number(u.spend)), utm_campaign, ...g });
    }
  }
  return { suggestions: suggestions.slice(0, limit), unmatched: unmatched.length };
}

/** `limit` (1–500, default 200) of GET /api/utm/campaign-map/suggestions; nothing else is accepted. */
export function parseSuggestionParams(input: Record<string, string>): { limit: number } {
  const parsed = z
    .object({ limit: z.coerce.number({ error: "must be a whole number from 1 to 500" }).int("must be a whole number from 1 to 500").min(1, "must be at least 1").max(500, "must be at most 500").default(200) })
    .strict()
    .safeParse(input);
  if (!parsed.success) throw badRequest("Invalid parameters", zodIssues(parsed.error));
  return parsed.data;
}
