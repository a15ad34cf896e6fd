import { describe, expect, it, vi } from "vitest";
import { assertShareAllows } from "@/lib/analytics/share-scope";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { createShareLink, lockedParams, revokeShareLink, sharePath, signShareId, verifyShareSignature, verifyShareToken } from "@/lib/auth/share-links";
import { AppError } from "@/lib/errors";
import { statusOf as httpStatus } from "@/lib/http/errors";
import { describeDb } from "../helpers/db";
import { loadFixture, S } from "../fixtures/analytics-fixture";

const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (err) {
    return err instanceof AppError ? httpStatus(err) : -1;
  }
};
const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (err) {
    return err instanceof AppError ? httpStatus(err) : -1;
  }
};

describe("share token signature", () => {
  const id = "0b7e2a8e-3d4c-4f5a-9b6c-7d8e9f0a1b2c";
  it("signs <id>.<HMAC-SHA256 base64url> and verifies it", () => {
    const token = signShareId(id);
    expect(token).toMatch(/^0b7e2a8e-3d4c-4f5a-9b6c-7d8e9f0a1b2c\.[A-Za-z0-9_-]{43}$/);
    expect(verifyShareSignature(token)).toBe(id);
  });
  it("refuses a changed signature, another id with a copied signature, or garbage", () => {
    const token = signShareId(id);
    const sig = token.split(".")[1];
    const flipped = `${id}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    expect(verifyShareSignature(flipped)).toBeUndefined();
    expect(verifyShareSignature(`1b7e2a8e-3d4c-4f5a-9b6c-7d8e9f0a1b2c.${sig}`)).toBeUndefined();
    expect(verifyShareSignature("nonsense")).toBeUndefined();
    expect(verifyShareSignature(`${id}.`)).toBeUndefined();
  });
  it("keeps only shareable parameters and rejects an invalid view", () => {
    expect(lockedParams("?period=week&utm_source=google&share=x&evil=1")).toEqual({ period: "week", utm_source: "google" });
    expect(statusOf(() => lockedParams("period=fortnight"))).toBe(400);
  });
});

describe("share scope (widening → 403)", () => {
  const now = new Date("2025-03-31T12:00:00Z");
  const locked = { start_date: "2025-03-01", end_date: "2025-03-31", utm_source: "google" };
  const check = (sp: Record<string, string>) => statusOf(() => assertShareAllows(locked, parseAnalyticsQuery(sp, { now, tz: "UTC" }), sp));
  it("allows the locked view and a narrower range", () => {
    expect(check(locked)).toBe(200);
    expect(check({ ...locked, start_date: "2025-03-10" })).toBe(200);
  });
  it("refuses a wider range, another filter value or a removed filter; allows an added one", () => {
    expect(check({ ...locked, start_date: "2025-02-01" })).toBe(403);
    expect(check({ ...locked, utm_source: "bing" })).toBe(403);
    // SPEC 12: an added filter narrows, so it is allowed (see the table below).
    expect(check({ ...locked, device: "mobile" })).toBe(200);
    expect(check({ start_date: "2025-03-01", end_date: "2025-03-31" })).toBe(403);
  });
});

describeDb("share links", (ctx) => {
  it("a created link verifies to its locked params; expired and revoked links give 401", async () => {
    const db = ctx.handle.db;
    const created = await createShareLink(db, { params: "period=month&utm_source=google&cursor=zzz", expires_in_days: 2 }, null, new Date("2025-03-01T00:00:00Z"));
    expect(created.params).toEqual({ period: "month", utm_source: "google" });
    // Created 2025-03-01T00:00Z + 2 days = expires 2025-03-03T00:00Z.
    expect(created.expiresAt.toISOString()).toBe("2025-03-03T00:00:00.000Z");

    const ok = await verifyShareToken(created.token, db, new Date("2025-03-02T23:59:59Z"));
    expect(ok).toMatchObject({ linkId: created.id, params: { period: "month", utm_source: "google" } });

    expect(await status(verifyShareToken(created.token, db, new Date("2025-03-03T00:00:00Z")))).toBe(401);
    expect(await status(verifyShareToken(`${created.token}x`, db, new Date("2025-03-02T00:00:00Z")))).toBe(401);
    // A well-signed id that has no row.
    expect(await status(verifyShareToken(signShareId("00000000-0000-4000-8000-000000000000"), db, new Date("2025-03-02T00:00:00Z")))).toBe(401);

    expect(await revokeShareLink(db, created.id)).toBe(true);
    expect(await revokeShareLink(db, created.id)).toBe(false);
    expect(await status(verifyShareToken(created.token, db, new Date("2025-03-02T00:00:00Z")))).toBe(401);
  });
});

describe("share links keep repeated and negated filters (SPEC 12)", () => {
  it("stores a repeated filter as a list and gives it back as the same query", () => {
    const params = lockedParams("period=week&utm_source=google&utm_source=bing&not_device=mobile&evil=1");
    expect(params).toEqual({ period: "week", utm_source: ["google", "bing"], not_device: "mobile" });
    expect(sharePath("t", params)).toBe("/share/t?period=week&utm_source=google&utm_source=bing&not_device=mobile");
    // An ambiguous view is refused: 400 naming the parameter.
    expect(statusOf(() => lockedParams("period=week&period=year"))).toBe(400);
    expect(lockedParams("period=week&period=week")).toEqual({ period: "week" });
  });
});

/**
 * Every parameter that could widen a share link's view, through the real route handlers (SPEC 12,
 * 16; issue 10 item 3). Fixture (tests/fixtures/analytics-fixture.ts), March 2026: google S1 (UA),
 * S2 (UA), S5 (PL), S6 (UA, 02-28); facebook S3 (PL). The link locks March, source google or
 * facebook, country not PL, campaign spring → its selection is S1 + S2.
 */
describeDb("share scope through every endpoint (table)", (ctx) => {
  const R = "start_date=2026-03-01&end_date=2026-03-31";
  const F = "utm_source=google&utm_source=facebook&not_country=PL";
  type H = (req: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
  let token = "";
  const call = (handler: unknown, path: string, qs: string, params: Record<string, string> = {}) =>
    (handler as H)(new Request(`http://x/api/utm/${path}?${qs}`, { headers: { "x-share-token": token } }), { params: Promise.resolve(params) });

  it("allows what narrows and refuses what widens", async () => {
    await loadFixture(ctx.handle.db);
    token = (await createShareLink(ctx.handle.db, { params: `${R}&${F}&campaign=spring` })).token;
    const [general, compare, cohort, ltv, repeat, exportCsv, roi, timeseries, sessions, detail, abTest] = await Promise.all([
      import("@/app/api/utm/general-stats/route"),
      import("@/app/api/utm/compare/route"),
      import("@/app/api/utm/cohort-analysis/route"),
      import("@/app/api/utm/ltv-comparison/route"),
      import("@/app/api/utm/repeat-rate/route"),
      import("@/app/api/utm/export-csv/route"),
      import("@/app/api/utm/roi/route"),
      import("@/app/api/utm/timeseries/route"),
      import("@/app/api/utm/sessions/route"),
      import("@/app/api/utm/[id]/session-detail/route"),
      import("@/app/api/utm/ab-test/route"),
    ]).then((m) => m.map((x) => x.GET));
    // [what, handler, path, query, expected status, route params?]
    const table: [string, unknown, string, string, number, Record<string, string>?][] = [
      ["the locked view", general, "general-stats", `${R}&${F}`, 200],
      ["no range: the link's range", general, "general-stats", F, 200],
      ["narrower range", general, "general-stats", `start_date=2026-03-03&end_date=2026-03-31&${F}`, 200],
      ["earlier start_date", general, "general-stats", `start_date=2026-02-01&end_date=2026-03-31&${F}`, 403],
      ["later end_date", general, "general-stats", `start_date=2026-03-01&end_date=2026-04-30&${F}`, 403],
      ["period=all", general, "general-stats", `period=all&${F}`, 403],
      ["period=year", general, "general-stats", `period=year&${F}`, 403],
      ["a subset of the locked values", general, "general-stats", `${R}&utm_source=google&not_country=PL`, 200],
      ["a value added to the locked list", general, "general-stats", `${R}&${F}&utm_source=bing`, 403],
      ["a changed value", general, "general-stats", `${R}&utm_source=bing&not_country=PL`, 403],
      ["a locked filter removed", general, "general-stats", `${R}&not_country=PL`, 403],
      ["a locked filter negated instead", general, "general-stats", `${R}&not_utm_source=google&not_country=PL`, 403],
      ["a locked exclusion removed", general, "general-stats", `${R}&utm_source=google&utm_source=facebook`, 403],
      ["more exclusions", general, "general-stats", `${R}&${F}&not_country=UA`, 200],
      ["a new dimension", general, "general-stats", `${R}&${F}&device=mobile`, 200],
      ["not_ on a locked dimension", general, "general-stats", `${R}&${F}&not_utm_source=facebook`, 200],
      ["not_ on a new dimension", general, "general-stats", `${R}&${F}&not_device=mobile`, 200],
      ["compare: previous period outside", compare, "compare", `${R}&${F}`, 403],
      // 03-17..03-31 is 15 days: the previous period is 03-02..03-16, inside March.
      ["compare: previous period inside", compare, "compare", `start_date=2026-03-17&end_date=2026-03-31&${F}`, 200],
      ["compare: explicit range outside", compare, "compare", `${R}&${F}&compare_start_date=2000-01-01&compare_end_date=2026-03-31`, 403],
      ["compare: explicit range inside", compare, "compare", `start_date=2026-03-16&end_date=2026-03-31&${F}&compare_start_date=2026-03-01&compare_end_date=2026-03-15`, 200],
      ["compare=previous_year", compare, "compare", `start_date=2026-03-16&end_date=2026-03-31&${F}&compare=previous_year`, 403],
      ["compare=previous_period inside", compare, "compare", `start_date=2026-03-17&end_date=2026-03-31&${F}&compare=previous_period`, 200],
      // 03-16..03-31 is 16 days: the previous period starts 02-28, outside.
      ["compare=previous_period, one day outside", compare, "compare", `start_date=2026-03-16&end_date=2026-03-31&${F}&compare=previous_period`, 403],
      ["cohorts: no range → the link's, not 90 days", cohort, "cohort-analysis", F, 200],
      ["cohorts: period=quarter", cohort, "cohort-analysis", `period=quarter&${F}`, 403],
      ["cohorts: a wider explicit range", cohort, "cohort-analysis", `start_date=2026-01-01&end_date=2026-03-31&${F}`, 403],
      ["ltv: no range", ltv, "ltv-comparison", F, 200],
      ["ltv: wider", ltv, "ltv-comparison", `start_date=2026-02-01&end_date=2026-03-31&${F}`, 403],
      ["repeat rate: wider", repeat, "repeat-rate", `period=all&${F}`, 403],
      ["cohort CSV: no range", exportCsv, "export-csv", `report=cohort&${F}`, 200],
      ["sources CSV: wider", exportCsv, "export-csv", `report=sources&start_date=2026-02-01&end_date=2026-03-31&${F}`, 403],
      ["roi what-if spend", roi, "roi", `${R}&${F}&spend=1000`, 200],
      ["hourly series of one day", timeseries, "timeseries", `start_date=2026-03-02&end_date=2026-03-02&${F}&interval=hour`, 200],
      ["sessions list: wider", sessions, "sessions", `period=all&${F}`, 403],
      ["a/b: the locked campaign", abTest, "ab-test", `${R}&${F}&campaign=spring`, 200],
      ["a/b: another campaign", abTest, "ab-test", `${R}&${F}&campaign=summer`, 403],
      ["a/b: campaign removed (required: 400)", abTest, "ab-test", `${R}&${F}`, 400],
      ["session in the selection (S1)", detail, `${S.S1}/session-detail`, `${R}&${F}`, 200, { id: S.S1 }],
      ["session excluded by not_country (S5, PL)", detail, `${S.S5}/session-detail`, `${R}&${F}`, 404, { id: S.S5 }],
      ["session of another source's PL visit (S3)", detail, `${S.S3}/session-detail`, `${R}&${F}`, 404, { id: S.S3 }],
      ["session before the range (S6, 02-28)", detail, `${S.S6}/session-detail`, `${R}&${F}`, 404, { id: S.S6 }],
      ["session outside a narrowed range (S1, 03-02)", detail, `${S.S1}/session-detail`, `start_date=2026-03-05&end_date=2026-03-31&${F}`, 404, { id: S.S1 }],
      ["session outside an added filter (S1 is desktop)", detail, `${S.S1}/session-detail`, `${R}&${F}&device=mobile`, 404, { id: S.S1 }],
    ];
    const got: [string, number][] = [];
    for (const [what, handler, path, qs, , params] of table) got.push([what, (await call(handler, path, qs, params)).status]);
    expect(got).toEqual(table.map(([what, , , , want]) => [what, want]));
  });

  it("answers the link's own selection: S1 + S2 in March; narrowed by an added filter", async () => {
    await loadFixture(ctx.handle.db);
    token = (await createShareLink(ctx.handle.db, { params: `${R}&${F}` })).token;
    const { GET } = await import("@/app/api/utm/general-stats/route");
    const body = async (qs: string) => (await call(GET, "general-stats", qs)).json();
    // S1 (google UA) + S2 (google UA); S3 and S5 are PL.
    expect((await body(F)).sessions).toBe(2);
    // device=mobile narrows to S2.
    expect((await body(`${F}&device=mobile`)).sessions).toBe(1);
    // The cohort CSV without a range uses the link's March, not the last 90 days.
    const { GET: csv } = await import("@/app/api/utm/export-csv/route");
    const res = await call(csv, "export-csv", `report=cohort&${F}`);
    expect(res.headers.get("content-disposition")).toContain("utm-cohort-2026-03-01-2026-03-31.csv");
  });

  it("unattributed orders: none in a view scoped by a dimension, all of them in an unfiltered one (SPEC 21)", async () => {
    await loadFixture(ctx.handle.db);
    const { GET } = await import("@/app/api/utm/attribution/route");
    const { ingestOrders } = await import("@/lib/ingest/orders");
    const unattributed = async (params: string, qs: string) => {
      token = (await createShareLink(ctx.handle.db, { params })).token;
      return (await (await call(GET, "attribution", qs)).json()).unattributed;
    };
    const before = await unattributed(R, R);
    // One more order nobody can claim: no visitor, no session, no landing page; 77.00 on 10 March.
    await ingestOrders(ctx.handle.db, { order_id: "nobody-1", total: 77, placed_at: "2026-03-10T12:00:00Z" });
    const all = await unattributed(R, R);
    expect(all).toEqual({ orders: before.orders + 1, revenue: Math.round((before.revenue + 77) * 100) / 100 });
    // Scoped by source (and country): unattributed orders have no dimension, so none lies inside.
    expect(await unattributed(`${R}&${F}`, `${R}&${F}`)).toEqual({ orders: 0, revenue: 0 });
    // An unfiltered link that a request narrows with a filter of its own: also none.
    expect(await unattributed(R, `${R}&device=mobile`)).toEqual({ orders: 0, revenue: 0 });
  });
});

// The dashboard context is server code; its guard import is inert under Vitest.
vi.mock("server-only", () => ({}));

describe("a shared dashboard reads no range outside the link's (SPEC 16)", () => {
  it("allowsRange: inside the link's range only; the signed-in dashboard reads any", async () => {
    const { buildContext } = await import("@/app/dispatcher/context");
    const now = new Date("2026-04-15T12:00:00Z");
    const locked = { start_date: "2026-03-01", end_date: "2026-03-31", utm_source: "google" };
    const i18n = {} as Parameters<typeof buildContext>[1]["i18n"];
    // The viewer narrowed the view to 03-17..03-31 (15 days): the previous period 03-02..03-16 is inside.
    const shared = buildContext({ ...locked, start_date: "2026-03-17", compare: "previous_period" }, { basePath: "/share/t", i18n, isAdmin: false, shareToken: "t", lockedParams: locked, now });
    if (!shared.ok) throw new Error("expected a valid view");
    expect(shared.ctx.allowsRange({ start: "2026-03-02", end: "2026-03-16" })).toBe(true);
    // The whole March compared with February (or with March 2025): outside.
    expect(shared.ctx.allowsRange({ start: "2026-01-29", end: "2026-02-28" })).toBe(false);
    expect(shared.ctx.allowsRange({ start: "2025-03-01", end: "2025-03-31" })).toBe(false);
    const own = buildContext({ ...locked }, { basePath: "/dispatcher", i18n, isAdmin: true, now });
    if (!own.ok) throw new Error("expected a valid view");
    expect(own.ctx.allowsRange({ start: "2000-01-01", end: "2026-04-15" })).toBe(true);
  });
});
