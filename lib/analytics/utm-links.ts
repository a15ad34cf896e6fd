import { desc, eq, sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { appSettings, utmLinks } from "@/lib/db/schema";
import { badRequest } from "@/lib/errors";
import { buildTaggedUrl, type UtmValues } from "@/lib/links/build";
import { checkLink, DEFAULT_UTM_RULES, utmRulesSchema, type LinkInput, type UtmRules } from "@/lib/links/rules";
import { money } from "./format";
import { rangeInstants, type AnalyticsQuery } from "./params";
import { figures } from "./session-figures";

/**
 * Saved UTM links (issue 12) with what they brought in a range, and the team's naming rules.
 * A link's figures are session-scoped (SPEC 3.4): the sessions started in the range whose five
 * UTM values equal the link's (`(none)` for an unset content/term, as sessions store it), and
 * the paid orders attributed to them whenever placed. A link never clicked shows zeros.
 */

export const UTM_RULES_KEY = "utm_rules";

export async function getUtmRules(db: Db): Promise<UtmRules> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, UTM_RULES_KEY)).limit(1);
  if (!row) return DEFAULT_UTM_RULES;
  const parsed = utmRulesSchema.safeParse(row.value);
  return parsed.success ? parsed.data : DEFAULT_UTM_RULES;
}

export async function saveUtmRules(db: Db, rules: UtmRules): Promise<UtmRules> {
  const value = utmRulesSchema.parse(rules);
  await db
    .insert(appSettings)
    .values({ key: UTM_RULES_KEY, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: sql`now()` } });
  return value;
}

export type UtmLink = { id: number; name: string | null; base_url: string; url: string; created_at: string } & UtmValues;
export type UtmLinkWithStats = UtmLink & { sessions: number; orders: number; revenue: number };

/** Validates against the rules (400 naming each field) and saves. */
export async function createUtmLink(db: Db, input: LinkInput, createdBy: number | null): Promise<UtmLink> {
  const rules = await getUtmRules(db);
  const { link, issues } = checkLink(input, rules);
  if (issues.length) throw badRequest(`Invalid link: ${issues.map((i) => i.path).join(", ")}`, issues);
  const [row] = await db
    .insert(utmLinks)
    .values({
      name: link.name,
      baseUrl: link.base_url,
      utmSource: link.utm_source,
      utmMedium: link.utm_medium,
      utmCampaign: link.utm_campaign,
      utmContent: link.utm_content,
      utmTerm: link.utm_term,
      createdBy,
    })
    .returning();
  return toLink(row);
}

export async function deleteUtmLink(db: Db, id: number): Promise<boolean> {
  const res = await db.delete(utmLinks).where(eq(utmLinks.id, id)).returning({ id: utmLinks.id });
  return res.length > 0;
}

function toLink(r: typeof utmLinks.$inferSelect): UtmLink {
  const utm: UtmValues = { utm_source: r.utmSource, utm_medium: r.utmMedium, utm_campaign: r.utmCampaign, utm_content: r.utmContent, utm_term: r.utmTerm };
  return { id: r.id, name: r.name, base_url: r.baseUrl, url: buildTaggedUrl(r.baseUrl, utm), created_at: r.createdAt.toISOString(), ...utm };
}

/** Saved links, newest first, each with its sessions, orders and revenue in the query's range (filters ignored). */
export async function listUtmLinks(db: Db, q: Pick<AnalyticsQuery, "range" | "tz">): Promise<UtmLinkWithStats[]> {
  const links = await db.select().from(utmLinks).orderBy(desc(utmLinks.createdAt), desc(utmLinks.id)).limit(500);
  if (links.length === 0) return [];
  const { from, to } = rangeInstants(q.range, q.tz);
  const stats = await rows<{ id: number; sessions: number; orders: number; revenue: number }>(
    db,
    sql`select l.id,
               count(s.id) as sessions,
               ${figures("orders", "revenue")}
        from utm_links l
        left join sessions s
          on s.utm_source = l.utm_source and s.utm_medium = l.utm_medium and s.utm_campaign = l.utm_campaign
         and s.utm_content = l.utm_content and s.utm_term = l.utm_term
         and s.started_at >= ${from.toISOString()}::timestamptz and s.started_at < ${to.toISOString()}::timestamptz
        group by l.id`,
  );
  const byId = new Map(stats.map((s) => [s.id, s]));
  return links.map((r) => {
    const s = byId.get(r.id);
    return { ...toLink(r), sessions: s?.sessions ?? 0, orders: s?.orders ?? 0, revenue: money(s?.revenue ?? 0) };
  });
}
