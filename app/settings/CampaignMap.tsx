import { sql } from "drizzle-orm";
import { listCampaignMap } from "@/lib/analytics/campaign-map";
import { campaignSuggestions } from "@/lib/analytics/campaign-suggestions";
import { getDb, rows } from "@/lib/db/client";
import { dictionary, type Locale } from "@/lib/i18n";
import { CampaignMapForm } from "./CampaignMapForm";

/** Settings (SPEC 14): platform campaign name → utm_campaign, per source. Admins edit, everyone reads. */
export async function CampaignMapSection({ admin, locale }: { admin: boolean; locale: Locale }) {
  const db = await getDb();
  const [map, suggested, seen] = await Promise.all([
    listCampaignMap(db),
    // SPEC 18: unmatched platform campaigns with candidates, accepted in one click.
    campaignSuggestions(db, undefined, 50),
    // Platform campaigns already imported, offered as suggestions.
    rows<{ utm_source: string; platform_campaign: string }>(
      db,
      sql`select distinct utm_source, platform_campaign from ad_spend where platform_campaign is not null
          order by 1, 2 limit 500`,
    ),
  ]);
  const s = dictionary(locale).costs;
  return (
    <section id="campaign-map" aria-labelledby="campaign-map-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="campaign-map">
      <h2 id="campaign-map-title" className="mb-1 text-base font-semibold text-slate-800">
        {s.mapTitle}
      </h2>
      <p className="mb-4 text-xs text-slate-500">{s.mapHint}</p>
      <CampaignMapForm initial={map.rows.map(({ utm_source, platform_campaign, utm_campaign }) => ({ utm_source, platform_campaign, utm_campaign }))} seen={seen} suggestions={suggested.suggestions} s={s} admin={admin} />
    </section>
  );
}
