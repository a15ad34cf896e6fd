import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { GET as adSpendGet, POST as adSpendPost } from "@/app/api/utm/ad-spend/route";
import { GET as mapGet, PUT as mapPut } from "@/app/api/utm/campaign-map/route";
import { GET as auditGet } from "@/app/api/utm/spend-audit/route";
import { GET as exportCsv } from "@/app/api/utm/export-csv/route";
import { listCampaignMap, parseCampaignMap, replaceCampaignMap } from "@/lib/analytics/campaign-map";
import { getCohortAnalysis } from "@/lib/analytics/cohort";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { getSpendAudit } from "@/lib/analytics/spend-audit";
import { createApiToken } from "@/lib/auth/api-tokens";
import { importCostCsv, importCostJson } from "@/lib/costs/import";
import { rows, type Db } from "@/lib/db/client";
import { importFile } from "@/cli/import/import-file";
import { describeDb } from "../helpers/db";
import { loadFixture, march } from "../fixtures/analytics-fixture";
import { loadMainFixture, MAIN_NOW, MAIN_RANGE } from "../fixtures/seed-v3.fixture";

const fixture = (name: string) => readFileSync(path.join(__dirname, "..", "fixtures", "costs", name), "utf8");
const UAH = { appCurrency: "UAH" };

const stored = (db: Db) =>
  rows<{ date: string; utm_source: string; utm_campaign: string; platform_campaign: string | null; amount: number }>(
    db,
    sql`select to_char(date, 'YYYY-MM-DD') as date, utm_source, utm_campaign, platform_campaign, amount::float8 as amount
        from ad_spend order by date, utm_source collate "C", coalesce(platform_campaign, utm_campaign) collate "C"`,
  );

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const h = (f: unknown) => f as Handler;
const call = (handler: unknown, url: string, auth: string | null, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (auth) headers.set("authorization", `Bearer ${auth}`);
  return h(handler)(new Request(`http://x/api/utm/${url}`, { ...init, headers }), { params: Promise.resolve({}) });
};

describeDb("cost import, campaign map, spend audit, payback", (ctx) => {
  it("Google Ads import: added, then re-import replaces (counts against what is stored)", async () => {
    const db = ctx.handle.db;
    const first = await importCostCsv(db, fixture("google-ads-en.csv"), UAH);
    // 3 rows (the 0.00 line 6 skipped); 1,234.56 + 400 + 2,000.10 = 3,634.66
    expect(first).toEqual({
      format: "google-ads", language: "en", source: "google", currency: "UAH", rate: null, day_rates: null, dry_run: false,
      added: 3, replaced: 0, skipped: [{ line: 6, reason: "zero cost" }], rows: 3,
      start_date: "2026-03-01", end_date: "2026-03-02", total: 3634.66, total_original: null,
      // No sessions at all: both platform campaigns match no utm_campaign, and nothing to suggest (SPEC 18).
      unmatched: 2, suggestions: [],
    });
    expect(await stored(db)).toEqual([
      { date: "2026-03-01", utm_source: "google", utm_campaign: "Brand Search", platform_campaign: "Brand Search", amount: 1234.56 },
      { date: "2026-03-01", utm_source: "google", utm_campaign: "spring_sale", platform_campaign: "spring_sale", amount: 400 },
      { date: "2026-03-02", utm_source: "google", utm_campaign: "spring_sale", platform_campaign: "spring_sale", amount: 2000.1 },
    ]);
    // The Ukrainian export of the same days: same keys → all 3 replaced, nothing added.
    expect(await importCostCsv(db, fixture("google-ads-uk.csv"), UAH)).toMatchObject({ added: 0, replaced: 3, rows: 3 });
    // A corrected file: one amount changed, one new day → 1 added, 1 replaced, amount replaced.
    const fix = "Day,Campaign,Currency code,Cost\n2026-03-01,spring_sale,UAH,450.00\n2026-03-03,spring_sale,UAH,10\n";
    expect(await importCostCsv(db, fix, UAH)).toMatchObject({ added: 1, replaced: 1, skipped: [], total: 460 });
    expect((await stored(db)).map((r) => [r.date, r.utm_campaign, r.amount])).toEqual([
      ["2026-03-01", "Brand Search", 1234.56],
      ["2026-03-01", "spring_sale", 450],
      ["2026-03-02", "spring_sale", 2000.1],
      ["2026-03-03", "spring_sale", 10],
    ]);
  });

  it("Meta and TikTok imports store their rows; dry run counts without writing; a rate converts", async () => {
    const db = ctx.handle.db;
    const preview = await importCostCsv(db, fixture("meta-en.csv"), { ...UAH, dryRun: true });
    // 200 + 50 + 65.25 = 315.25; lines 2 (summary) and 6 (zero) skipped
    expect(preview).toMatchObject({ format: "meta", dry_run: true, added: 3, replaced: 0, rows: 3, total: 315.25, start_date: "2026-03-01", end_date: "2026-03-02" });
    expect(preview.skipped.map((s) => s.line)).toEqual([2, 6]);
    expect(await stored(db)).toEqual([]);
    await importCostCsv(db, fixture("meta-en.csv"), UAH);
    await importCostCsv(db, fixture("tiktok-en.csv"), { ...UAH, source: "TikTok" });
    // USD at 41.5: 10 → 415 on 03-01 (replaces Meta's spring_sale 200), 2.5 → 103.75 on 03-02 (new)
    expect(await importCostCsv(db, fixture("meta-usd-en.csv"), { ...UAH, rate: 41.5 })).toMatchObject({ currency: "USD", rate: 41.5, added: 1, replaced: 1, total: 518.75 });
    expect((await stored(db)).map((r) => [r.date, r.utm_source, r.utm_campaign, r.amount])).toEqual([
      ["2026-03-01", "facebook", "Retarget UA", 50],
      ["2026-03-01", "facebook", "spring_sale", 415],
      ["2026-03-01", "tiktok", "TT Launch", 150],
      ["2026-03-02", "facebook", "Retarget UA", 65.25],
      ["2026-03-02", "facebook", "spring_sale", 103.75],
      ["2026-03-02", "tiktok", "TT Launch", 1050.4],
    ]);
  });

  it("JSON rows answer the same summary", async () => {
    const db = ctx.handle.db;
    const a = await importCostJson(db, [{ date: "2026-03-05", utm_source: "Google", utm_campaign: "spring", amount: 50 }, { date: "2026-03-05", utm_source: "google", utm_campaign: "spring", amount: 60 }]);
    // one key, the later 60 wins
    expect(a).toMatchObject({ format: "json", added: 1, replaced: 0, rows: 1, total: 60, start_date: "2026-03-05", end_date: "2026-03-05" });
  });

  it("campaign map applies at import and is re-applied to stored spend when it changes", async () => {
    const db = ctx.handle.db;
    await replaceCampaignMap(db, parseCampaignMap([{ utm_source: "Google", platform_campaign: "Brand Search", utm_campaign: "brand_search" }]));
    await importCostCsv(db, fixture("google-ads-en.csv"), UAH);
    const camp = async () => (await stored(db)).map((r) => [r.date, r.utm_campaign, r.platform_campaign]);
    expect(await camp()).toEqual([
      ["2026-03-01", "brand_search", "Brand Search"],
      ["2026-03-01", "spring_sale", "spring_sale"],
      ["2026-03-02", "spring_sale", "spring_sale"],
    ]);
    // New map: Brand Search unmapped (back to its own name), spring_sale → spring (2 rows change, 1 back)
    const put = await replaceCampaignMap(db, parseCampaignMap({ rows: [{ utm_source: "google", platform_campaign: "spring_sale", utm_campaign: "spring" }] }));
    expect(put.remapped).toBe(3);
    expect(put.rows.map((r) => [r.utm_source, r.platform_campaign, r.utm_campaign])).toEqual([["google", "spring_sale", "spring"]]);
    expect(await camp()).toEqual([
      ["2026-03-01", "Brand Search", "Brand Search"],
      ["2026-03-01", "spring", "spring_sale"],
      ["2026-03-02", "spring", "spring_sale"],
    ]);
    // A generic row is never remapped; a map for another source does not apply: the new map drops
    // google's spring_sale entry, so google's 2 rows return to "spring_sale"; facebook's row stays.
    await importCostJson(db, [{ date: "2026-03-01", utm_source: "facebook", utm_campaign: "spring_sale", amount: 5 }]);
    expect((await replaceCampaignMap(db, parseCampaignMap([{ utm_source: "facebook", platform_campaign: "spring_sale", utm_campaign: "x" }]))).remapped).toBe(2);
    // order: date, source, key → 03-01 facebook, 03-01 google Brand Search, google spring_sale, 03-02
    expect((await camp()).map((r) => r[1])).toEqual(["spring_sale", "Brand Search", "spring_sale", "spring_sale"]);
    expect((await listCampaignMap(db)).rows.length).toBe(1);
    expect(() => parseCampaignMap([{ utm_source: "g", platform_campaign: "a", utm_campaign: "b" }, { utm_source: "G", platform_campaign: "a", utm_campaign: "c" }])).toThrow(/mapped twice/);
    expect(() => parseCampaignMap([{ utm_source: "g", platform_campaign: "a", utm_campaign: " " }])).toThrow(/Invalid campaign mapping/);
  });

  it("spend audit: spend without sessions, paid sessions without spend, sorted", async () => {
    const db = ctx.handle.db;
    await loadFixture(db);
    // Sessions in March: google/cpc/spring ×2, facebook/paid/spring, (direct), google/cpc/summer.
    await importCostJson(db, [
      { date: "2026-03-05", utm_source: "google", utm_campaign: "spring", amount: 80 }, // has sessions
      { date: "2026-03-06", utm_source: "google", utm_campaign: "sprng", amount: 30 }, // misspelled: no session
      { date: "2026-03-07", utm_source: "tiktok", utm_campaign: "launch", amount: 30 }, // no session; ties 30 → source order
      { date: "2026-03-08", utm_source: "bing", utm_campaign: "zero", amount: 0 }, // zero spend: not listed
      { date: "2026-02-20", utm_source: "facebook", utm_campaign: "spring", amount: 99 }, // before the range
    ]);
    const a = await getSpendAudit(db, march());
    expect(a).toEqual({
      spend_without_sessions: [
        { utm_source: "google", utm_campaign: "sprng", spend: 30 },
        { utm_source: "tiktok", utm_campaign: "launch", spend: 30 },
      ],
      // facebook/spring (medium paid, 1 session; its spend is before the range), google/summer (cpc, 1)
      paid_sessions_without_spend: [
        { utm_source: "facebook", utm_campaign: "spring", sessions: 1 },
        { utm_source: "google", utm_campaign: "summer", sessions: 1 },
      ],
    });
    // utm_source=google narrows spend and sessions.
    expect(await getSpendAudit(db, march({ utm_source: "google" }))).toEqual({
      spend_without_sessions: [{ utm_source: "google", utm_campaign: "sprng", spend: 30 }],
      paid_sessions_without_spend: [{ utm_source: "google", utm_campaign: "summer", sessions: 1 }],
    });
    const token = (await createApiToken(db, { name: "r", scopes: ["read"] })).token;
    const res = await call(auditGet, "spend-audit?start_date=2026-03-01&end_date=2026-03-31", token);
    expect(res.status).toBe(200);
    expect((await res.json()).spend_without_sessions).toHaveLength(2);
    expect((await call(auditGet, "spend-audit?start_date=2026-03-31&end_date=2026-03-01", token)).status).toBe(400);
  });

  it("cohort roas: cumulative revenue / spend dated in the cohort's bucket; null without spend; totals", async () => {
    const db = ctx.handle.db;
    await loadMainFixture(db);
    const q = (extra: Record<string, string> = {}) => parseAnalyticsQuery({ ...MAIN_RANGE, ...extra }, { now: MAIN_NOW, tz: "UTC" });
    await importCostJson(db, [
      { date: "2025-01-05", utm_source: "google", utm_campaign: "a", amount: 999 }, // before week 2025-01-06
      { date: "2025-01-06", utm_source: "google", utm_campaign: "a", amount: 100 }, // cohort 01-06
      { date: "2025-01-12", utm_source: "facebook", utm_campaign: "b", amount: 50 }, // cohort 01-06 (Sunday)
      { date: "2025-01-15", utm_source: "google", utm_campaign: "a", amount: 40 }, // cohort 01-13
    ]);
    const r = await getCohortAnalysis(db, q(), { cohortType: "week", metric: "roas", periods: 10 });
    // Cohort 01-06 (c1, c2): cumulative revenue 300, 350, 350, 350, 380… / spend 150:
    //   2, 2.33, 2.33, 2.33, 2.53 …; k9 (03-10) is in the future → null.
    // Cohort 01-13 (c3): 100, 100, 140 … / 40: 2.5, 2.5, 3.5 …; k8 (03-10) → null.
    expect(r.matrix).toEqual([
      [2, 2.33, 2.33, 2.33, 2.53, 2.53, 2.53, 2.53, 2.53, null],
      [2.5, 2.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, null, null],
    ]);
    // Totals Σ cum revenue / Σ spend: k0 400/190 = 2.105 → 2.11; k1 450/190 = 2.37; k2 490/190 = 2.58;
    // k4 520/190 = 2.74; k8 only the first cohort 380/150 = 2.53; k9 null.
    expect(r.totals).toEqual([2.11, 2.37, 2.58, 2.58, 2.74, 2.74, 2.74, 2.74, 2.53, null]);
    // utm_source=google: customers c1 (01-06) and c3 (01-13); spend google only: 100 and 40.
    // c1: 100, 150, 150, 150, 180 / 100 → 1, 1.5, 1.5, 1.5, 1.8. c3 as above.
    const g = await getCohortAnalysis(db, q({ utm_source: "google" }), { cohortType: "week", metric: "roas", periods: 5 });
    expect(g.matrix).toEqual([
      [1, 1.5, 1.5, 1.5, 1.8],
      [2.5, 2.5, 3.5, 3.5, 3.5],
    ]);
    // utm_campaign=b narrows spend to facebook's 50 on 01-12 but customers have no campaign "b":
    // no cohorts at all.
    expect((await getCohortAnalysis(db, q({ utm_campaign: "b" }), { metric: "roas" })).cohorts).toEqual([]);
    // The CSV export of the same heatmap: header, then one line per cohort (null cells empty).
    const token = (await createApiToken(db, { name: "r", scopes: ["read"] })).token;
    const csv = await (await call(exportCsv, "export-csv?report=cohort&metric=roas&cohort_type=week&periods=3&start_date=2025-01-06&end_date=2025-01-19", token)).text();
    expect(csv.split("\r\n").slice(0, 3)).toEqual(["cohort,size,Week 0,Week 1,Week 2", "2025-01-06,2,2,2.33,2.33", "2025-01-13,1,2.5,2.5,3.5"]);
    // No spend in the second cohort's bucket → its whole row is null.
    await db.execute(sql`delete from ad_spend where date = '2025-01-15'`);
    const n = await getCohortAnalysis(db, q(), { cohortType: "week", metric: "roas", periods: 3 });
    expect(n.matrix[1]).toEqual([null, null, null]);
    expect(n.totals).toEqual([2, 2.33, 2.33]);
  });

  it("POST /api/utm/ad-spend: platform CSV, dry_run, rate and source in the query or the form; 400 naming the currency", async () => {
    const db = ctx.handle.db;
    const ingest = (await createApiToken(db, { name: "i", scopes: ["ingest"] })).token;
    const post = (qs: string, body: BodyInit, type?: string) =>
      call(adSpendPost, `ad-spend${qs}`, ingest, { method: "POST", body, headers: type ? { "content-type": type } : {} });
    const usd = await post("", fixture("meta-usd-en.csv"), "text/csv");
    expect(usd.status).toBe(400);
    // No USD rate stored for its days (SPEC 17.5): refused naming them and how to import rates.
    const refusal = await usd.json();
    expect(refusal.error).toMatch(/^This export is in USD; .* no USD rate is stored for 2026-03-01, 2026-03-02 .*npm run utm -- rates import/);
    expect(refusal.issues[0]).toEqual({ path: "rate", message: "no USD rate for 2026-03-01, 2026-03-02" });
    const dry = await post("?dry_run=1&rate=41,5", fixture("meta-usd-en.csv"), "text/csv");
    expect(await dry.json()).toMatchObject({ format: "meta", dry_run: true, rows: 2, total: 518.75, rate: 41.5 });
    expect(await stored(db)).toEqual([]);
    const form = new FormData();
    form.append("file", new Blob([fixture("tiktok-en.csv")], { type: "text/csv" }), "tiktok.csv");
    form.append("source", "TikTok_Ads");
    const up = await call(adSpendPost, "ad-spend", ingest, { method: "POST", body: form });
    expect(await up.json()).toMatchObject({ format: "tiktok", source: "tiktok_ads", added: 2, replaced: 0, rows: 2, total: 1200.4 });
    const totalsOnly = await post("", fixture("google-ads-totals-en.csv"), "text/csv");
    expect(totalsOnly.status).toBe(400);
    expect((await totalsOnly.json()).error).toBe("This Google Ads export has no Day column: export the Campaigns report with the Day segment (Segment › Time › Day)");
    expect((await post("?rate=-1", fixture("meta-en.csv"), "text/csv")).status).toBe(400);
    const list = await (await call(adSpendGet, "ad-spend?start_date=2026-03-01&end_date=2026-03-31", (await createApiToken(db, { name: "r", scopes: ["read"] })).token)).json();
    expect(list.total).toBe(1200.4);
  });
  it("POST /api/utm/ad-spend: year 0, invalid UTF-8, an unknown content type and an oversized body are 4xx and store nothing", async () => {
    const db = ctx.handle.db;
    const ingest = (await createApiToken(db, { name: "i", scopes: ["ingest"] })).token;
    const post = (body: BodyInit, type: string) => call(adSpendPost, "ad-spend", ingest, { method: "POST", body, headers: { "content-type": type } });
    const row = (date: string) => JSON.stringify([{ date, utm_source: "google", utm_campaign: "spring", amount: 10 }]);
    expect((await post(row("0000-03-01"), "application/json")).status).toBe(400);
    // {"date": "<0xFF 0xFE>"}: not UTF-8.
    const bytes = new Uint8Array([...Buffer.from('[{"date":"'), 0xff, 0xfe, ...Buffer.from('","utm_source":"g","utm_campaign":"c","amount":1}]')]);
    expect((await post(bytes, "application/json")).status).toBe(400);
    expect((await post(row("2026-03-01"), "application/xml")).status).toBe(415);
    // 5 MB + 1 byte of CSV: refused while read, naming the limit.
    const big = await post("date,utm_source,utm_campaign,amount\n" + "x".repeat(5 * 1024 * 1024), "text/csv");
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/5 MB/);
    expect(await stored(db)).toEqual([]);
  });

  it("POST /api/utm/ad-spend: dry_run given twice with different values (query, or query and form) is 400 and writes nothing (SPEC 21)", async () => {
    const db = ctx.handle.db;
    const ingest = (await createApiToken(db, { name: "i", scopes: ["ingest"] })).token;
    const twice = await call(adSpendPost, "ad-spend?dry_run=1&dry_run=0", ingest, { method: "POST", body: fixture("tiktok-en.csv"), headers: { "content-type": "text/csv" } });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual({ error: "Invalid parameter: dry_run", issues: [{ path: "dry_run", message: "must be given once (it was given with different values)" }] });
    const form = new FormData();
    form.append("file", new Blob([fixture("tiktok-en.csv")], { type: "text/csv" }), "tiktok.csv");
    form.append("dry_run", "0");
    const mixed = await call(adSpendPost, "ad-spend?dry_run=1", ingest, { method: "POST", body: form });
    expect(mixed.status).toBe(400);
    expect(await stored(db)).toEqual([]);
    // The same value twice is not ambiguous: a preview, still nothing written.
    const same = await call(adSpendPost, "ad-spend?dry_run=1&dry_run=1", ingest, { method: "POST", body: fixture("tiktok-en.csv"), headers: { "content-type": "text/csv" } });
    expect(await same.json()).toMatchObject({ dry_run: true, rows: 2 });
    expect(await stored(db)).toEqual([]);
  });

  it("campaign map routes: GET for read tokens, PUT not for tokens", async () => {
    const db = ctx.handle.db;
    const read = (await createApiToken(db, { name: "r", scopes: ["read"] })).token;
    await replaceCampaignMap(db, parseCampaignMap([{ utm_source: "google", platform_campaign: "A", utm_campaign: "a" }]));
    const g = await call(mapGet, "campaign-map", read);
    expect(g.status).toBe(200);
    expect((await g.json()).rows.map((r: { utm_campaign: string }) => r.utm_campaign)).toEqual(["a"]);
    expect((await call(mapGet, "campaign-map", null)).status).toBe(401);
    const p = await call(mapPut, "campaign-map", read, { method: "PUT", body: "[]", headers: { "content-type": "application/json" } });
    expect([401, 403]).toContain(p.status);
  });

  it("CLI import: a platform export with --rate and --source; the summary of the answer", async () => {
    const db = ctx.handle.db;
    const dir = mkdtempSync(path.join(tmpdir(), "utmd-costs-"));
    const file = path.join(dir, "meta.csv");
    writeFileSync(file, fixture("meta-usd-en.csv"));
    await expect(importFile(db, file)).rejects.toThrow(/This export is in USD/);
    const res = await importFile(db, file, () => {}, { rate: 40, source: "meta" });
    // 10 × 40 = 400, 2.5 × 40 = 100
    expect(res).toMatchObject({ kind: "ad spend", adSpend: 2, costs: { format: "meta", source: "meta", added: 2, total: 500 } });
    // UTF-16 (Google Ads "Excel CSV") with a BOM and tabs
    const g = path.join(dir, "google.csv");
    const tsv = fixture("google-ads-en.csv").replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, "\t");
    writeFileSync(g, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, "utf16le")]));
    expect((await importFile(db, g)).costs).toMatchObject({ format: "google-ads", rows: 3, total: 3634.66 });
  });
});
