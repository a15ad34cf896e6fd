import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows as queryRows, type Db } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { withSpendWriteLock } from "./spend-write-lock";

/**
 * Campaign mapping (SPEC 14): a platform campaign name (per source) → the utm_campaign its spend
 * counts under. Applied when platform costs are imported (lib/analytics/ad-spend.ts) and re-applied
 * to every stored platform row whenever the map changes, so spend always follows the current map.
 */

export const MAX_CAMPAIGN_MAP_ROWS = 5_000;

export type CampaignMapRow = { utm_source: string; platform_campaign: string; utm_campaign: string; updated_at: string };

const text = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(500, "must be at most 500 characters");
const entry = z.object({
  utm_source: text.transform((s) => s.toLowerCase()),
  platform_campaign: text,
  utm_campaign: text,
});
export type CampaignMapEntry = z.output<typeof entry>;

/** `[...]` or `{rows: [...]}`; one entry per (utm_source, platform_campaign). */
export function parseCampaignMap(input: unknown): CampaignMapEntry[] {
  const list = Array.isArray(input) ? input : (input as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(list)) throw badRequest("Send a JSON array of mappings or {rows: [...]}", [{ path: "rows", message: "must be an array" }]);
  if (list.length > MAX_CAMPAIGN_MAP_ROWS) throw badRequest(`At most ${MAX_CAMPAIGN_MAP_ROWS} mappings`, [{ path: "rows", message: `must have at most ${MAX_CAMPAIGN_MAP_ROWS} rows` }]);
  const parsed = z.array(entry).safeParse(list);
  if (!parsed.success) throw badRequest("Invalid campaign mapping", zodIssues(parsed.error, "rows").slice(0, 100));
  const seen = new Map<string, number>();
  parsed.data.forEach((r, i) => {
    const k = JSON.stringify([r.utm_source, r.platform_campaign]);
    const first = seen.get(k);
    if (first !== undefined) throw badRequest("A platform campaign is mapped twice", [{ path: `rows[${i}].platform_campaign`, message: `repeats rows[${first}]` }]);
    seen.set(k, i);
  });
  return parsed.data;
}

export async function listCampaignMap(db: Db): Promise<{ rows: CampaignMapRow[] }> {
  const got = await queryRows<CampaignMapRow>(
    db,
    sql`select utm_source, platform_campaign, utm_campaign,
               to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at
        from campaign_map order by utm_source collate "C", platform_campaign collate "C"`,
  );
  return { rows: got };
}

/** Re-points stored platform spend at the current map (unmapped rows get their platform name back). */
export async function reapplyCampaignMap(db: Db): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`with changed as (
          update ad_spend a
          set utm_campaign = coalesce(m.utm_campaign, a.platform_campaign)
          from ad_spend a2
          left join campaign_map m on m.utm_source = a2.utm_source and m.platform_campaign = a2.platform_campaign
          where a2.id = a.id and a.platform_campaign is not null
            and a.utm_campaign is distinct from coalesce(m.utm_campaign, a.platform_campaign)
          returning 1
        ) select count(*) as n from changed`,
  );
  return r.n;
}

/**
 * PUT: the map becomes exactly these entries (unchanged entries keep their updated_at), then the
 * stored spend is re-mapped. Answers the new map and how many spend rows changed campaign.
 */
export async function replaceCampaignMap(db: Db, entries: CampaignMapEntry[]): Promise<{ rows: CampaignMapRow[]; remapped: number }> {
  let remapped = 0;
  await withSpendWriteLock(db, async (tx) => {
    const json = JSON.stringify(entries);
    await tx.execute(
      sql`delete from campaign_map m
          where not exists (select 1 from json_to_recordset(${json}::json) as t(utm_source text, platform_campaign text, utm_campaign text)
                            where t.utm_source = m.utm_source and t.platform_campaign = m.platform_campaign)`,
    );
    if (entries.length) {
      await tx.execute(
        sql`insert into campaign_map (utm_source, platform_campaign, utm_campaign)
            select t.utm_source, t.platform_campaign, t.utm_campaign
            from json_to_recordset(${json}::json) as t(utm_source text, platform_campaign text, utm_campaign text)
            on conflict (utm_source, platform_campaign) do update
              set utm_campaign = excluded.utm_campaign, updated_at = now()
              where campaign_map.utm_campaign is distinct from excluded.utm_campaign`,
      );
    }
    remapped = await reapplyCampaignMap(tx);
  });
  return { ...(await listCampaignMap(db)), remapped };
}
