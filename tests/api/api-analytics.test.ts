import Papa from "papaparse";
import { beforeEach, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createShareLink } from "@/lib/auth/share-links";
import { GET as generalStats } from "@/app/api/utm/general-stats/route";
import { GET as timeseries } from "@/app/api/utm/timeseries/route";
import { GET as sources } from "@/app/api/utm/sources/route";
import { GET as campaigns } from "@/app/api/utm/campaigns/route";
import { GET as content } from "@/app/api/utm/content/route";
import { GET as geo } from "@/app/api/utm/geo/route";
import { GET as devices } from "@/app/api/utm/devices/route";
import { GET as browsers } from "@/app/api/utm/browsers/route";
import { GET as operatingSystems } from "@/app/api/utm/operating-systems/route";
import { GET as funnel } from "@/app/api/utm/funnel/route";
import { GET as returningVisitors } from "@/app/api/utm/returning-visitors/route";
import { GET as sessionsList } from "@/app/api/utm/sessions/route";
import { GET as sessionDetail } from "@/app/api/utm/[id]/session-detail/route";
import { GET as compare } from "@/app/api/utm/compare/route";
import { GET as roi } from "@/app/api/utm/roi/route";
import { GET as adSpendGet, POST as adSpendPost } from "@/app/api/utm/ad-spend/route";
import { GET as exportCsv } from "@/app/api/utm/export-csv/route";
import { GET as cohort } from "@/app/api/utm/cohort-analysis/route";
import { GET as ltv } from "@/app/api/utm/ltv-comparison/route";
import { GET as repeatRate } from "@/app/api/utm/repeat-rate/route";
import { GET as abTest } from "@/app/api/utm/ab-test/route";
import { GET as mediums } from "@/app/api/utm/mediums/route";
import { GET as terms } from "@/app/api/utm/terms/route";
import { GET as landingPages } from "@/app/api/utm/landing-pages/route";
import { GET as referrers } from "@/app/api/utm/referrers/route";
import { GET as channels } from "@/app/api/utm/channels/route";
import { GET as eventsReport } from "@/app/api/utm/events/route";
import { ingestBatch } from "@/lib/ingest/batch";
import { describeDb } from "../helpers/db";
import { loadFixture, S } from "../fixtures/analytics-fixture";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const h = (f: unknown) => f as Handler;

/** All 26 analytics endpoints with the parameters each needs to answer 200. */
const ENDPOINTS: { name: string; handler: Handler; base: string; params?: Record<string, string> }[] = [
  { name: "general-stats", handler: h(generalStats), base: "" },
  { name: "timeseries", handler: h(timeseries), base: "" },
  { name: "sources", handler: h(sources), base: "" },
  { name: "campaigns", handler: h(campaigns), base: "" },
  { name: "content", handler: h(content), base: "" },
  { name: "geo", handler: h(geo), base: "" },
  { name: "devices", handler: h(devices), base: "" },
  { name: "browsers", handler: h(browsers), base: "" },
  { name: "operating-systems", handler: h(operatingSystems), base: "" },
  { name: "funnel", handler: h(funnel), base: "" },
  { name: "returning-visitors", handler: h(returningVisitors), base: "" },
  { name: "sessions", handler: h(sessionsList), base: "" },
  { name: `${S.S1}/session-detail`, handler: h(sessionDetail), base: "", params: { id: S.S1 } },
  { name: "compare", handler: h(compare), base: "" },
  { name: "roi", handler: h(roi), base: "" },
  { name: "ad-spend", handler: h(adSpendGet), base: "" },
  { name: "export-csv", handler: h(exportCsv), base: "report=sources" },
  { name: "cohort-analysis", handler: h(cohort), base: "" },
  { name: "ltv-comparison", handler: h(ltv), base: "" },
  { name: "repeat-rate", handler: h(repeatRate), base: "" },
  { name: "ab-test", handler: h(abTest), base: "campaign=spring" },
  // SPEC 12
  { name: "mediums", handler: h(mediums), base: "" },
  { name: "terms", handler: h(terms), base: "" },
  { name: "landing-pages", handler: h(landingPages), base: "" },
  { name: "referrers", handler: h(referrers), base: "" },
  { name: "events", handler: h(eventsReport), base: "" },
  // SPEC 17.4
  { name: "channels", handler: h(channels), base: "" },
];

const RANGE = "start_date=2026-03-01&end_date=2026-03-31";
const HOSTILE = ["'; drop table sessions; --", "<script>alert(1)</script>", "Україна 🇺🇦 \u0000 \u202e"].map((s) => s.repeat(Math.ceil(10_240 / s.length)).slice(0, 10_240));

let token = "";
async function call(handler: Handler, path: string, qs: string, opts: { auth?: string | null; params?: Record<string, string>; init?: RequestInit } = {}) {
  const headers = new Headers(opts.init?.headers);
  const auth = opts.auth === undefined ? token : opts.auth;
  if (auth !== null) headers.set("authorization", `Bearer ${auth}`);
  const req = new Request(`http://x/api/utm/${path}${qs ? `?${qs}` : ""}`, { ...opts.init, headers });
  return handler(req, { params: Promise.resolve(opts.params ?? {}) });
}
const join = (...parts: string[]) => parts.filter(Boolean).join("&");

describeDb("analytics API route handlers", (ctx) => {
  beforeEach(async () => {
    token = (await createApiToken(ctx.handle.db, { name: "reader", scopes: ["read"] })).token;
  });

  it("every endpoint answers 200 for a valid request, 401 without credentials, 403 for an ingest-only token", async () => {
    await loadFixture(ctx.handle.db);
    const ingestOnly = (await createApiToken(ctx.handle.db, { name: "ingest", scopes: ["ingest"] })).token;
    expect(ENDPOINTS).toHaveLength(27);
    for (const e of ENDPOINTS) {
      const qs = join(e.base, RANGE);
      const ok = await call(e.handler, e.name, qs, { params: e.params });
      expect([e.name, ok.status]).toEqual([e.name, 200]);
      const anon = await call(e.handler, e.name, qs, { params: e.params, auth: null });
      expect([e.name, anon.status, (await anon.json()).error]).toEqual([e.name, 401, "Authentication required"]);
      const wrong = await call(e.handler, e.name, qs, { params: e.params, auth: ingestOnly });
      expect([e.name, wrong.status]).toEqual([e.name, 403]);
      const bogus = await call(e.handler, e.name, qs, { params: e.params, auth: "utmd_nope" });
      expect([e.name, bogus.status]).toEqual([e.name, 401]);
    }
  });

  it("bad input on every endpoint: 400 {error, issues} naming the parameter, never 500", async () => {
    await loadFixture(ctx.handle.db);
    const common: [string, string][] = [
      ["start_date=2026-02-30&end_date=2026-03-31", "start_date"],
      ["start_date=2026-03-01&end_date=31.03.2026", "end_date"],
      ["start_date=2026-03-31&end_date=2026-03-01", "start_date"],
      ["start_date=2026-03-01", "end_date"],
      ["period=decade", "period"],
      ...HOSTILE.map((s): [string, string] => [`period=${encodeURIComponent(s)}`, "period"]),
      ...HOSTILE.map((s): [string, string] => [`utm_source=${encodeURIComponent(s)}`, "utm_source"]),
      ...HOSTILE.map((s): [string, string] => [`start_date=${encodeURIComponent(s)}&end_date=2026-03-01`, "start_date"]),
      // SPEC 12: repeated filters are fine, an ambiguous repeated parameter is not; bad filter values name their parameter.
      ["period=week&period=month", "period"],
      ["start_date=2026-03-01&start_date=2026-03-02&end_date=2026-03-31", "start_date"],
      ["not_utm_source=", "not_utm_source"],
      ["landing_page=%00", "landing_page"],
      [`referrer=${"r".repeat(501)}`, "referrer"],
      // SPEC 17.4
      ["channel=%00", "channel"],
      [`not_channel=${"c".repeat(501)}`, "not_channel"],
    ];
    for (const e of ENDPOINTS) {
      for (const [qs, path] of common) {
        const res = await call(e.handler, e.name, join(e.base, qs), { params: e.params });
        const body = await res.json();
        expect([e.name, qs.slice(0, 40), res.status, body.issues?.map((i: { path: string }) => i.path).includes(path)]).toEqual([e.name, qs.slice(0, 40), 400, true]);
        expect(typeof body.error).toBe("string");
      }
      // Unknown parameters and hostile values where free text is allowed never fail.
      for (const s of HOSTILE) {
        const res = await call(e.handler, e.name, join(e.base, RANGE, `x=${encodeURIComponent(s)}`, `utm_campaign=${encodeURIComponent(s.slice(0, 400))}`), { params: e.params });
        // A NUL can never be stored (ingestion strips it), so a filter holding one is a 400, not a 500.
        expect([e.name, res.status]).toEqual([e.name, s.includes("\u0000") ? 400 : 200]);
      }
    }
    const specific: [Handler, string, string, string, Record<string, string>?][] = [
      [h(sessionsList), "sessions", "limit=0", "limit"],
      [h(sessionsList), "sessions", "limit=201", "limit"],
      [h(sessionsList), "sessions", "limit=abc", "limit"],
      [h(sessionsList), "sessions", "cursor=not*a*cursor", "cursor"],
      [h(sessionsList), "sessions", `cursor=${encodeURIComponent(HOSTILE[0])}`, "cursor"],
      [h(timeseries), "timeseries", "interval=hour", "interval"],
      [h(timeseries), "timeseries", "interval=minute", "interval"],
      [h(compare), "compare", "compare=previous_decade", "compare"],
      [h(compare), "compare", "compare=previous_year&compare_start_date=2026-01-01&compare_end_date=2026-01-31", "compare"],
      [h(exportCsv), "export-csv", "report=sources&report=geo", "report"],
      [h(compare), "compare", "compare_start_date=2026-01-01", "compare_end_date"],
      [h(compare), "compare", "compare_start_date=2026-02-01&compare_end_date=2026-01-01", "compare_start_date"],
      [h(roi), "roi", "spend=-1", "spend"],
      [h(exportCsv), "export-csv", "report=everything", "report"],
      [h(exportCsv), "export-csv", "", "report"],
      [h(cohort), "cohort-analysis", "metric=happiness", "metric"],
      [h(cohort), "cohort-analysis", "cohort_type=year", "cohort_type"],
      [h(cohort), "cohort-analysis", "periods=61", "periods"],
      [h(cohort), "cohort-analysis", "utm_source=a%00b", "utm_source"],
      [h(exportCsv), "export-csv", "report=cohort&periods=61", "periods"],
      [h(abTest), "ab-test", "", "campaign"],
    ];
    for (const [handler, name, qs, path] of specific) {
      const res = await call(handler, name, join(qs, RANGE));
      const body = await res.json();
      expect([name, qs.slice(0, 30), res.status, body.issues?.[0]?.path]).toEqual([name, qs.slice(0, 30), 400, path]);
    }
    // Year 0 (no RANGE appended, so the dates are the only ones given): 400 naming start_date.
    const year0 = await call(h(cohort), "cohort-analysis", "start_date=0000-01-01&end_date=0000-01-31");
    expect([year0.status, (await year0.json()).issues?.[0]?.path]).toEqual([400, "start_date"]);
    for (const id of ["00000000-0000-4000-8000-00000000abcd", "nope", HOSTILE[0]]) {
      const res = await call(h(sessionDetail), `${encodeURIComponent(id)}/session-detail`, "", { params: { id } });
      expect(res.status).toBe(404);
    }
  });

  it("JSON answers through the handler: general-stats, a breakdown, and sessions paging", async () => {
    await loadFixture(ctx.handle.db);
    const gs = await (await call(h(generalStats), "general-stats", RANGE)).json();
    // Same figures as the library test: 5 sessions, 3 visitors, revenue 100 + 200.5 + 50.
    expect([gs.sessions, gs.visitors, gs.revenue]).toEqual([5, 3, 350.5]);
    const geoAns = await (await call(h(geo), "geo", RANGE)).json();
    expect(geoAns.total.visitors).toBe(3);
    const p1 = await (await call(h(sessionsList), "sessions", join(RANGE, "limit=3"))).json();
    expect(p1.items.map((i: { id: string }) => i.id)).toEqual([S.S5, S.S4, S.S3]);
    const p2 = await (await call(h(sessionsList), "sessions", join(RANGE, "limit=3", `cursor=${p1.next_cursor}`))).json();
    expect([p2.items.map((i: { id: string }) => i.id), p2.next_cursor]).toEqual([[S.S2, S.S1], null]);
  });

  it("SPEC 12 through the handlers: new breakdowns, events, repeated and not_ filters, hourly series, previous_year, CSV", async () => {
    // Fixture (tests/fixtures/analytics-fixture.ts): every session lands on /landing with no referrer.
    await loadFixture(ctx.handle.db);
    const json = async (handler: unknown, path: string, qs: string) => {
      const res = await call(h(handler), path, qs);
      expect([path, res.status]).toEqual([path, 200]);
      return res.json();
    };
    // mediums in March: cpc S1, S2, S5 (v1, v2; S1 converted, 100); paid S3 (200.5 + 50); (none) S4.
    const m = await json(mediums, "mediums", RANGE);
    expect(m.rows.map((r: { key: string; sessions: number; revenue: number }) => [r.key, r.sessions, r.revenue])).toEqual([
      ["cpc", 3, 100],
      ["(none)", 1, 0],
      ["paid", 1, 250.5],
    ]);
    expect(m.total.sessions).toBe(5);
    expect((await json(terms, "terms", RANGE)).rows.map((r: { key: string }) => r.key)).toEqual(["(none)"]);
    expect((await json(landingPages, "landing-pages", RANGE)).rows.map((r: { key: string; sessions: number }) => [r.key, r.sessions])).toEqual([["/landing", 5]]);
    expect((await json(referrers, "referrers", RANGE)).rows.map((r: { key: string; sessions: number }) => [r.key, r.sessions])).toEqual([["(none)", 5]]);
    // Repeated values match any (google S1, S2, S5 + facebook S3 = 4); not_ excludes (not google: S3, S4).
    expect((await json(generalStats, "general-stats", `${RANGE}&utm_source=google&utm_source=facebook`)).sessions).toBe(4);
    expect((await json(generalStats, "general-stats", `${RANGE}&not_utm_source=google`)).sessions).toBe(2);
    expect((await json(generalStats, "general-stats", `${RANGE}&not_utm_source=google&not_utm_source=facebook&landing_page=/landing&referrer=(none)`)).sessions).toBe(1); // S4
    // events in March: page_view in S1, S2, S3, S5 (v1, v2; S1, S3 converted: 2/4 = 50) first.
    const ev = await json(eventsReport, "events", RANGE);
    // add_to_cart: S1, S5 (S1 converted: 50); product_view: S1, S3 (both converted); checkout_start: S1.
    expect(ev.rows).toEqual([
      { type: "page_view", name: null, events: 8, sessions: 4, visitors: 2, conversion_rate: 50 },
      { type: "add_to_cart", name: null, events: 2, sessions: 2, visitors: 2, conversion_rate: 50 },
      { type: "product_view", name: null, events: 2, sessions: 2, visitors: 2, conversion_rate: 100 },
      { type: "checkout_start", name: null, events: 1, sessions: 1, visitors: 1, conversion_rate: 100 },
    ]);
    // Hourly: S1 at 10:00 on 03-02.
    const hourly = await json(timeseries, "timeseries", "start_date=2026-03-02&end_date=2026-03-02");
    expect([hourly.interval, hourly.points.length, hourly.points[10]]).toEqual(["hour", 24, { date: "2026-03-02T10:00:00.000Z", sessions: 1, visitors: 1, conversions: 1, orders: 1, revenue: 100, net_revenue: 100 }]);
    // previous_year: March 2025 holds nothing; every change against 0 is null.
    const c = await json(compare, "compare", `${RANGE}&compare=previous_year`);
    expect([c.previous.start_date, c.previous.end_date, c.previous.stats.sessions, c.change.sessions]).toEqual(["2025-03-01", "2025-03-31", 0, null]);
    // CSVs of the new reports: header then one line per row. SPEC 18 columns margin,orders_without_cost after
    // net_revenue: no order has a known cost and DEFAULT_MARGIN_PCT is unset → margin 0, orders_without_cost = orders.
    const csv = async (report: string) => (await call(h(exportCsv), "export-csv", `report=${report}&${RANGE}`)).text();
    expect((await csv("mediums")).split("\r\n").slice(0, 2)).toEqual(["key,sessions,visitors,conversions,conversion_rate,orders,revenue,net_revenue,margin,orders_without_cost,aov,revenue_per_session", "cpc,3,2,1,33.33,1,100,100,0,1,100,33.33"]);
    expect((await csv("events")).split("\r\n")[0]).toBe("type,name,events,sessions,visitors,conversion_rate");
    expect((await csv("events")).split("\r\n")[1]).toBe("page_view,,8,4,2,50");
    for (const r of ["terms", "landing-pages", "referrers"]) expect((await csv(r)).split("\r\n")[1]).toMatch(/,5,3,2,40,3,350.5,350.5,0,3,116.83,70.1$/); // margin 0, 3 orders without cost
  });

  it("export-csv: attachment name, header then rows, no total, formula injection neutralised", async () => {
    await loadFixture(ctx.handle.db);
    await ingestBatch(ctx.handle.db, {
      sessions: [{ id: "00000000-0000-4000-8000-000000000077", visitor_id: "evil", started_at: "2026-03-15T10:00:00Z", utm_source: "x", utm_campaign: "=HYPERLINK(\"http://e\")\nnext", utm_content: "+1", utm_term: "@SUM(A1)" }],
    });
    const res = await call(h(exportCsv), "export-csv", join("report=campaigns", RANGE));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="utm-campaigns-2026-03-01-2026-03-31.csv"');
    const text = await res.text();
    const parsed = Papa.parse<string[]>(text.trim(), { newline: "\r\n" }).data;
    expect(parsed[0]).toEqual(["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "net_revenue", "margin", "orders_without_cost", "aov", "revenue_per_session"]);
    // spring (3 sessions), then 1-session rows by key: "(none)", "=HYPERLINK…" → neutralised with a leading ', "summer".
    expect(parsed.slice(1).map((r) => r[0])).toEqual(["spring", "(none)", "'=HYPERLINK(\"http://e\")\nnext", "summer"]);
    expect(parsed).toHaveLength(5); // header + 4 rows, no total line

    const sess = await call(h(exportCsv), "export-csv", join("report=sessions", RANGE, "utm_source=x"));
    expect(sess.headers.get("content-disposition")).toBe('attachment; filename="utm-sessions-2026-03-01-2026-03-31.csv"');
    const rowsOut = Papa.parse<string[]>((await sess.text()).trim(), { newline: "\r\n" }).data;
    expect(rowsOut[0].slice(0, 3)).toEqual(["id", "started_at", "visitor_id"]);
    expect(rowsOut[1].slice(5, 8)).toEqual(["'=HYPERLINK(\"http://e\")\nnext", "'+1", "'@SUM(A1)"]);

    const geoCsv = await (await call(h(exportCsv), "export-csv", join("report=geo", RANGE))).text();
    expect(geoCsv.split("\r\n")[0]).toBe("key,name,sessions,visitors,conversions,conversion_rate,orders,revenue,net_revenue,margin,orders_without_cost,aov,revenue_per_session");
    // "(none)" now has S4 + the injected session (2), tied with PL and UA; PL: S3,S5, v2, orders 2, 250.5.
    // margin 0 everywhere; orders_without_cost: (none) 0, PL 2 (o2, o3), UA 1 (o1).
    expect(geoCsv.split("\r\n").slice(1, 4)).toEqual(["(none),Unknown,2,2,0,0,0,0,0,0,0,0,0", "PL,Poland,2,1,1,50,2,250.5,250.5,0,2,125.25,125.25", "UA,Ukraine,2,1,1,50,1,100,100,0,1,100,50"]);
  });

  it("ad-spend POST: JSON, {rows}, CSV body and multipart file; admin/ingest only; validation paths", async () => {
    const ingest = (await createApiToken(ctx.handle.db, { name: "ingest", scopes: ["ingest"] })).token;
    const post = (body: BodyInit, type: string | null, auth: string | null = ingest) =>
      call(h(adSpendPost), "ad-spend", "", { auth, init: { method: "POST", body, headers: type ? { "content-type": type } : {} } });
    expect((await post("[]", "application/json", token)).status).toBe(403); // read-only token
    expect((await post("[]", "application/json", null)).status).toBe(401);
    const j = await post(JSON.stringify([{ date: "2026-03-05", utm_source: "Google", utm_campaign: "spring", amount: 50 }]), "application/json");
    // SPEC 14 answer: the summary of the import (added/replaced counted against what is stored).
    expect([j.status, await j.json()]).toEqual([
      200,
      // SPEC 17.5/18 fields: no conversion, no platform campaigns to match.
      { format: "json", language: null, source: null, currency: null, rate: null, day_rates: null, dry_run: false, added: 1, replaced: 0, skipped: [], rows: 1, start_date: "2026-03-05", end_date: "2026-03-05", total: 50, total_original: null, unmatched: 0, suggestions: [] },
    ]);
    const w = await post(JSON.stringify({ rows: [{ date: "2026-03-05", utm_source: "google", utm_campaign: "spring", amount: 60 }] }), "application/json");
    expect(w.status).toBe(200);
    const c = await post("date,utm_source,utm_campaign,amount\r\n2026-03-06,meta,retarget,12.5\r\n", "text/csv");
    expect(c.status).toBe(200);
    const form = new FormData();
    form.append("file", new Blob(["date,utm_source,utm_campaign,amount\n2026-03-07,tiktok,launch,7\n"], { type: "text/csv" }), "spend.csv");
    const m = await call(h(adSpendPost), "ad-spend", "", { auth: ingest, init: { method: "POST", body: form } });
    expect(m.status).toBe(200);
    const list = await (await call(h(adSpendGet), "ad-spend", RANGE)).json();
    // 03-05 google/spring replaced 50 → 60; + 12.5 + 7 = 79.5
    expect(list).toEqual({
      rows: [
        { date: "2026-03-05", utm_source: "google", utm_campaign: "spring", amount: 60 },
        { date: "2026-03-06", utm_source: "meta", utm_campaign: "retarget", amount: 12.5 },
        { date: "2026-03-07", utm_source: "tiktok", utm_campaign: "launch", amount: 7 },
      ],
      total: 79.5,
    });
    const bad = await post(JSON.stringify([{ date: "2026-03-05", utm_source: "a", amount: 1 }, { date: "x", utm_source: "", amount: -1 }]), "application/json");
    const body = await bad.json();
    expect([bad.status, [...new Set(body.issues.map((i: { path: string }) => i.path))]]).toEqual([400, ["rows[1].date", "rows[1].utm_source", "rows[1].amount"]]);
    expect((await post("{nope", "application/json")).status).toBe(400);
    expect((await post("", "text/csv")).status).toBe(400);
  });

  it("share tokens: the locked view may narrow its range and add filters, never widen or change them", async () => {
    await loadFixture(ctx.handle.db);
    const link = await createShareLink(ctx.handle.db, { params: "start_date=2026-03-01&end_date=2026-03-31&utm_source=google" });
    const viaShare = (qs: string) =>
      generalStats(new Request(`http://x/api/utm/general-stats?${qs}&share=${encodeURIComponent(link.token)}`), { params: Promise.resolve({}) });
    const same = await viaShare("start_date=2026-03-01&end_date=2026-03-31&utm_source=google");
    // google in March: S1, S2, S5
    expect([same.status, (await same.json()).sessions]).toEqual([200, 3]);
    expect((await viaShare("start_date=2026-03-05&end_date=2026-03-10&utm_source=google")).status).toBe(200);
    expect((await viaShare("start_date=2026-02-01&end_date=2026-03-31&utm_source=google")).status).toBe(403); // wider
    expect((await viaShare("start_date=2026-03-01&end_date=2026-03-31")).status).toBe(403); // filter removed
    expect((await viaShare("start_date=2026-03-01&end_date=2026-03-31&utm_source=facebook")).status).toBe(403); // changed
    // An added filter narrows (SPEC 12): google + UA in March = S1, S2.
    const added = await viaShare("start_date=2026-03-01&end_date=2026-03-31&utm_source=google&country=UA");
    expect([added.status, (await added.json()).sessions]).toEqual([200, 2]);
    expect((await generalStats(new Request("http://x/api/utm/general-stats?share=forged.token"), { params: Promise.resolve({}) })).status).toBe(401);
  });
});
