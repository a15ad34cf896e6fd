import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { GET as suggestionsGet } from "@/app/api/utm/campaign-map/suggestions/route";
import { parseCampaignMap, replaceCampaignMap } from "@/lib/analytics/campaign-map";
import { campaignSlug, campaignSuggestions, tokenScore } from "@/lib/analytics/campaign-suggestions";
import { createApiToken } from "@/lib/auth/api-tokens";
import { importCostCsv } from "@/lib/costs/import";
import { rows } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { collectEvent } from "@/lib/ingest/collect";
import { describeDb } from "../helpers/db";
import { eid, sid } from "../helpers/ingest";

/**
 * SPEC 18 campaign matching. Sessions (google): "spring-sale-2026" ×2 tagged utm_id=20123456790,
 * "brand_search" ×1, "autumn_promo" ×1 (collect); the Google export's campaigns "Brand Search"
 * (id 20123456789), "Spring Sale 2026" (id 20123456790) and "Autumn Promo UA" (no id) match no
 * utm_campaign exactly. Expected: Brand Search → brand_search (slug 0.9); Spring Sale 2026 →
 * spring-sale-2026 (utm_id 1; its slug spring_sale_2026 also equals, the id wins); Autumn Promo UA
 * → autumn_promo (tokens {autumn,promo} ⊂ {autumn,promo,ua}: Jaccard 2/3, score 0.8 × 2/3 = 0.533).
 */

const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
const GOOGLE = [
  "Day,Campaign,Campaign ID,Currency code,Cost",
  "2026-03-01,Brand Search,20123456789,UAH,100.00",
  "2026-03-01,Spring Sale 2026,20123456790,UAH,300.00",
  "2026-03-02,Spring Sale 2026,20123456790,UAH,50.00",
  "2026-03-01,Autumn Promo UA,--,UAH,20.00",
].join("\n");

const session = (n: number, campaign: string, utmId?: string) => ({
  id: sid(n),
  visitor_id: `v${n}`,
  started_at: "2026-03-01T10:00:00.000Z",
  landing_url: `https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=${campaign}${utmId ? `&utm_id=${utmId}` : ""}`,
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const get = (qs: string, token: string | null) =>
  (suggestionsGet as unknown as Handler)(new Request(`http://x/api/utm/campaign-map/suggestions${qs}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), {
    params: Promise.resolve({}),
  });

describeDb("campaign suggestions (SPEC 18)", (ctx) => {
  it("slugs and token overlap", () => {
    expect(campaignSlug(" Spring Sale – 2026 ")).toBe("spring_sale_2026");
    expect(campaignSlug("spring-sale-2026")).toBe("spring_sale_2026");
    expect(campaignSlug("Frühling")).toBe("fruhling");
    // {a,b,c} vs {a,b}: 2 shared / 3 in all
    expect(tokenScore("autumn_promo_ua", "autumn_promo")).toBeCloseTo(2 / 3, 5);
    // one shared word of 3 in all (1/3 < 0.5), and fewer than two shared: no match
    expect(tokenScore("sale_ua", "sale_pl")).toBe(0);
  });

  it("utm_id is kept by collect and batch (one parser per door, the same column)", async () => {
    const db = ctx.handle.db;
    await collectEvent(
      db,
      { event_id: eid(1), visitor_id: "v9", session_id: sid(9), type: "page_view", url: "https://shop.example.com/?utm_source=google&utm_campaign=x&utm_id=%2042%20" },
      { headers: new Headers({ "user-agent": UA }) },
    );
    await ingestBatch(db, { sessions: [session(1, "y", "77"), { ...session(2, "z"), utm_id: "explicit-5" }, session(3, "w")] });
    const got = await rows<{ id: string; utm_id: string | null }>(db, sql`select id::text, utm_id from sessions order by id`);
    expect(got).toEqual([
      { id: sid(1), utm_id: "77" },
      { id: sid(2), utm_id: "explicit-5" },
      { id: sid(3), utm_id: null },
      { id: sid(9), utm_id: "42" },
    ]);
  });

  it("after an import: suggestions by utm_id, slug and tokens; accepting one maps the spend and it is no longer suggested", async () => {
    const db = ctx.handle.db;
    await ingestBatch(db, {
      sessions: [session(1, "spring-sale-2026", "20123456790"), session(2, "spring-sale-2026", "20123456790"), session(3, "brand_search"), session(4, "autumn_promo")],
    });
    const answer = await importCostCsv(db, GOOGLE, { appCurrency: "UAH" });
    expect(answer.unmatched).toBe(3);
    // Ordered by spend: Spring Sale 2026 (350), Brand Search (100), Autumn Promo UA (20).
    expect(answer.suggestions.map((s) => [s.platform_campaign, s.utm_campaign, s.reason, s.score, s.sessions, s.spend])).toEqual([
      ["Spring Sale 2026", "spring-sale-2026", "utm_id", 1, 2, 350],
      ["Brand Search", "brand_search", "slug", 0.9, 1, 100],
      ["Autumn Promo UA", "autumn_promo", "tokens", 0.533, 1, 20],
    ]);
    const stored = await rows<{ platform_campaign_id: string | null }>(db, sql`select platform_campaign_id from ad_spend where platform_campaign = 'Spring Sale 2026'`);
    expect(stored.map((r) => r.platform_campaign_id)).toEqual(["20123456790", "20123456790"]);

    // Accept (what the settings button does): the map gains the entry, the spend follows it.
    const res = await replaceCampaignMap(db, parseCampaignMap([{ utm_source: "google", platform_campaign: "Spring Sale 2026", utm_campaign: "spring-sale-2026" }]));
    expect(res.remapped).toBe(2);
    const left = await campaignSuggestions(db);
    expect(left.unmatched).toBe(2);
    expect(left.suggestions.map((s) => s.platform_campaign)).toEqual(["Brand Search", "Autumn Promo UA"]);
  });

  it("GET /api/utm/campaign-map/suggestions: read tokens; limit; bad input is a clear 4xx", async () => {
    const db = ctx.handle.db;
    await ingestBatch(db, { sessions: [session(3, "brand_search")] });
    await importCostCsv(db, GOOGLE, { appCurrency: "UAH" });
    const read = (await createApiToken(db, { name: "r", scopes: ["read"] })).token;
    const ingest = (await createApiToken(db, { name: "i", scopes: ["ingest"] })).token;
    const ok = await get("", read);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ unmatched: 3, suggestions: [{ platform_campaign: "Brand Search", utm_campaign: "brand_search", reason: "slug" }] });
    expect((await (await get("?limit=1", read)).json()).suggestions).toHaveLength(1);
    expect((await get("", null)).status).toBe(401);
    expect((await get("", ingest)).status).toBe(403);
    for (const qs of ["?limit=0", "?limit=501", "?limit=abc", "?limit=1.5", "?limit=1&limit=2", "?other=1", `?limit=${"9".repeat(5000)}`, "?limit=%00"]) {
      const r = await get(qs, read);
      expect([r.status, qs]).toEqual([400, qs]);
      const body = await r.json();
      expect(typeof body.error).toBe("string");
    }
  });
});
