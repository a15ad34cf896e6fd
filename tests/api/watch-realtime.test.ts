import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { SessionUser } from "@/lib/http/session";
import { createShareLink } from "@/lib/auth/share-links";
import { setFixedNow } from "@/lib/clock";
import type { Realtime } from "@/lib/analytics/realtime";
import { describeDb } from "../helpers/db";
import { call, eid, sid, type Handler } from "../helpers/ingest";

const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));
const { GET } = await import("@/app/api/utm/realtime/route");
const realtime = GET as unknown as Handler;

const VIEWER: SessionUser = { id: 2, email: "v@shop.test", name: null, role: "viewer" };
// Window at 12:00:30: the 30 whole minutes [11:31:00, 12:01:00), the last one still running.
const NOW = new Date("2026-03-10T12:00:30Z");
const get = async (qs = "", headers: Record<string, string> = {}) => call(realtime, `/api/utm/realtime?${qs}`, { method: "GET", headers });

describeDb("api realtime", (ctx) => {
  beforeEach(async () => {
    session.user = VIEWER;
    setFixedNow(NOW);
    const db = ctx.handle.db;
    const s = (n: number, visitor: string, source: string, campaign: string, started: string) =>
      db.execute(sql`insert into sessions (id, visitor_id, started_at, last_event_at, utm_source, utm_campaign)
                     values (${sid(n)}, ${visitor}, ${started}::timestamptz, ${started}::timestamptz, ${source}, ${campaign})`);
    let e = 0;
    const ev = (n: number, type: string, path: string, at: string) =>
      db.execute(sql`insert into events (id, session_id, type, path, occurred_at) values (${eid(++e)}, ${sid(n)}, ${type}, ${path}, ${at}::timestamptz)`);
    await s(1, "va", "google", "spring", "2026-03-10T11:20:00Z");
    await s(2, "vb", "facebook", "promo", "2026-03-10T11:50:00Z");
    await s(3, "va", "google", "spring", "2026-03-10T11:58:00Z");
    await s(4, "vd", "(direct)", "(none)", "2026-03-10T11:00:00Z");
    await s(5, "ve", "google", "spring", "2026-03-10T12:01:00Z");
    await ev(1, "page_view", "/", "2026-03-10T11:25:00Z"); // before the window
    await ev(1, "page_view", "/shoes", "2026-03-10T11:40:00Z"); // minute 9
    await ev(1, "add_to_cart", "/shoes", "2026-03-10T11:41:00Z"); // minute 10, not a page view
    await ev(2, "page_view", "/", "2026-03-10T11:50:10Z"); // minute 19
    await ev(2, "page_view", "/shoes", "2026-03-10T11:55:00Z"); // minute 24
    await ev(2, "page_view", "/shoes", "2026-03-10T12:00:05Z"); // minute 29 (the running one)
    await ev(3, "page_view", "/", "2026-03-10T11:59:00Z"); // minute 28
    await ev(4, "page_view", "/", "2026-03-10T11:30:59Z"); // one second before the window
    await ev(5, "page_view", "/", "2026-03-10T12:01:30Z"); // after the window's end
    const o = (id: string, status: string, total: string | null, session: number | null, at: string) =>
      db.execute(sql`insert into orders (order_id, customer_id, status, total, session_id, placed_at)
                     values (${id}, ${`c-${id}`}, ${status}, ${total}, ${session === null ? null : sid(session)}, ${at}::timestamptz)`);
    await o("o1", "paid", "100.00", 1, "2026-03-10T11:45:00Z"); // counted, google/spring
    await o("o2", "pending", "50.00", 2, "2026-03-10T11:52:00Z"); // not paid
    await o("o3", "paid", null, 2, "2026-03-10T11:53:00Z"); // paid but awaiting a rate: not counted
    await o("o4", "paid", "70.50", null, "2026-03-10T10:00:00Z"); // counted, unattributed
    await o("o5", "paid", "20.00", 2, "2026-03-09T11:00:00Z"); // 25 h ago: past the 24 h look-back
    await o("o6", "paid", "30.00", 2, "2026-03-10T12:05:00Z"); // placed after now
  });
  afterEach(() => setFixedNow(undefined));

  it("counts the last 30 whole minutes by hand", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = res.body as Realtime;
    expect([body.from, body.to]).toEqual(["2026-03-10T11:31:00.000Z", "2026-03-10T12:01:00.000Z"]);
    // In the window: S1 /shoes + add_to_cart, S2 / + /shoes + /shoes, S3 /  → 6 events;
    // visitors va (S1, S3) and vb (S2) → 2. S4's event is 1 s early, S5's after the end.
    expect([body.visitors, body.events]).toEqual([2, 6]);
    expect(body.per_minute).toHaveLength(30);
    expect(body.per_minute[0]).toEqual({ minute: "2026-03-10T11:31:00.000Z", events: 0 });
    const busy = body.per_minute.flatMap((m, i) => (m.events ? [[i, m.events]] : []));
    expect(busy).toEqual([[9, 1], [10, 1], [19, 1], [24, 1], [28, 1], [29, 1]]);
    // google: va only (two sessions, one visitor) = 1; facebook: vb = 1; tie → key order.
    expect(body.top_sources).toEqual([{ key: "facebook", visitors: 1 }, { key: "google", visitors: 1 }]);
    // Page views only: /shoes = va (S1) + vb (S2 twice) → 2 visitors, 3 views; / = vb (S2) + va (S3) → 2, 2.
    expect(body.top_pages).toEqual([{ key: "/shoes", visitors: 2, page_views: 3 }, { key: "/", visitors: 2, page_views: 2 }]);
    // Counted orders of the last 24 h, newest first: o1 (11:45) then the unattributed o4 (10:00).
    expect(body.last_orders).toEqual([
      { placed_at: "2026-03-10T11:45:00.000Z", total: 100, utm_source: "google", utm_campaign: "spring" },
      { placed_at: "2026-03-10T10:00:00.000Z", total: 70.5, utm_source: "(none)", utm_campaign: "(none)" },
    ]);
  });

  it("filters narrow every figure; an unattributed order belongs to no filtered view", async () => {
    const google = (await get("utm_source=google")).body as Realtime;
    // google: S1's 2 events + S3's 1 = 3, one visitor (va); pages / (S3) and /shoes (S1), 1 visitor 1 view each.
    expect([google.visitors, google.events]).toEqual([1, 3]);
    expect(google.top_sources).toEqual([{ key: "google", visitors: 1 }]);
    expect(google.top_pages).toEqual([{ key: "/", visitors: 1, page_views: 1 }, { key: "/shoes", visitors: 1, page_views: 1 }]);
    expect(google.last_orders.map((o) => o.total)).toEqual([100]);
    const notGoogle = (await get("not_utm_source=google")).body as Realtime;
    expect([notGoogle.visitors, notGoogle.events, notGoogle.last_orders.length]).toEqual([1, 3, 0]);
  });

  it("share links: only within their filters, and only when their range holds today", async () => {
    session.user = undefined;
    const live = await createShareLink(ctx.handle.db, { params: "period=week&utm_source=google" });
    const ok = await get(`utm_source=google&share=${encodeURIComponent(live.token)}`);
    expect(ok.status).toBe(200);
    expect((ok.body as Realtime).visitors).toBe(1);
    expect((await get(`share=${encodeURIComponent(live.token)}`)).status).toBe(403); // its filter dropped
    expect((await get(`utm_source=facebook&share=${encodeURIComponent(live.token)}`)).status).toBe(403);
    const past = await createShareLink(ctx.handle.db, { params: "start_date=2026-02-01&end_date=2026-02-28" });
    expect((await get(`share=${encodeURIComponent(past.token)}`)).status).toBe(403);
  });

  it("bad input and missing credentials are clear 4xx JSON", async () => {
    const bad = await get("period=fortnight");
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues[0].path).toBe("period");
    expect((await get("utm_source=%00")).status).toBe(400);
    expect((await get(`utm_source=${"x".repeat(600)}`)).status).toBe(400);
    expect((await get("period=day&period=week")).status).toBe(400);
    const ingest = (await createApiToken(ctx.handle.db, { name: "i", scopes: ["ingest"] })).token;
    const read = (await createApiToken(ctx.handle.db, { name: "r", scopes: ["read"] })).token;
    session.user = undefined;
    expect((await get()).status).toBe(401);
    expect((await get("", { authorization: `Bearer ${ingest}` })).status).toBe(403);
    expect((await get("", { authorization: `Bearer ${read}` })).status).toBe(200);
    expect((await get("share=forged.token")).status).toBe(401);
  });
});
