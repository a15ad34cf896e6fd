import { expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import type { SessionUser } from "@/lib/http/session";
import { GET as generalStats } from "@/app/api/utm/general-stats/route";
import { GET as sources } from "@/app/api/utm/sources/route";
import { GET as campaigns } from "@/app/api/utm/campaigns/route";
import { GET as funnel } from "@/app/api/utm/funnel/route";
import { GET as returningVisitors } from "@/app/api/utm/returning-visitors/route";
import { GET as ltv } from "@/app/api/utm/ltv-comparison/route";
import { GET as repeatRate } from "@/app/api/utm/repeat-rate/route";
import { GET as cohort } from "@/app/api/utm/cohort-analysis/route";
import { GET as landingPages } from "@/app/api/utm/landing-pages/route";
import { GET as referrers } from "@/app/api/utm/referrers/route";
import { GET as attribution } from "@/app/api/utm/attribution/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { eraseVisitor } from "@/lib/ingest/erase";
import { runErase } from "@/cli/commands/erase";
import { describeDb } from "../helpers/db";
import { call, eid, sid, type Handler } from "../helpers/ingest";

// The signed-in user of a request (next-auth's session) is set per test.
const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));
const { DELETE } = await import("@/app/api/utm/visitors/[id]/route");

const ADMIN: SessionUser = { id: 1, email: "a@shop.test", name: null, role: "admin" };
const SAME_ORIGIN = { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" };
const del = DELETE as unknown as Handler;
const h = (f: unknown) => f as Handler;

/** The reports whose every figure must survive an erasure (SPEC 16), over all time. */
const REPORTS: [string, Handler][] = [
  ["general-stats", h(generalStats)],
  ["sources", h(sources)],
  ["campaigns", h(campaigns)],
  ["funnel", h(funnel)],
  ["returning-visitors", h(returningVisitors)],
  ["ltv-comparison", h(ltv)],
  ["repeat-rate", h(repeatRate)],
  ["cohort-analysis", h(cohort)],
  ["landing-pages", h(landingPages)],
  ["referrers", h(referrers)],
  // last_non_direct credits each order's attributed session, which erasure keeps. (Multi-touch
  // models move credit: the visitor's other sessions are no longer linked to the order.)
  ["attribution", h(attribution)],
];

/** Every `visitors` figure of the answers, by path. */
function visitorFigures(x: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(x)) x.forEach((v, i) => visitorFigures(v, `${path}[${(v as { key?: string })?.key ?? i}]`, out));
  else if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      const p = path ? `${path}.${k}` : k;
      if (k === "visitors") out.set(p, v);
      else visitorFigures(v, p, out);
    }
  }
  return out;
}

function diffVisitors(before: unknown, after: unknown): string[] {
  const a = visitorFigures(before);
  const b = visitorFigures(after);
  return [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort().map((k) => `${k}: ${a.get(k)} -> ${b.get(k)}`);
}

function stripVisitors(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(stripVisitors);
  if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).filter(([k]) => k !== "visitors").map(([k, v]) => [k, stripVisitors(v)]));
  return x;
}

describeDb("erase a visitor (SPEC 10, 16)", (ctx) => {
  const db = () => ctx.handle.db;

  const load = () =>
    ingestBatch(db(), {
      sessions: [
        {
          id: sid(1), visitor_id: "v1", started_at: "2026-03-01T10:00:00Z",
          landing_url: "https://shop.test/spring?utm_source=google&utm_campaign=spring&email=a@b.c",
          referrer: "https://www.Google.com/search?q=my+name",
        },
        { id: sid(2), visitor_id: "v1", started_at: "2026-03-02T10:00:00Z", utm_source: "facebook", landing_url: "https://shop.test/p/1?fbclid=IwAR1" },
        { id: sid(3), visitor_id: "v2", started_at: "2026-03-02T10:00:00Z", utm_source: "tiktok" },
      ],
      events: [
        { id: eid(1), session_id: sid(1), type: "page_view", occurred_at: "2026-03-01T10:00:00Z", path: "/spring" },
        { id: eid(2), session_id: sid(2), type: "page_view", occurred_at: "2026-03-02T10:00:00Z" },
        { id: eid(3), session_id: sid(2), type: "add_to_cart", occurred_at: "2026-03-02T10:01:00Z", properties: { sku: "x" } },
        { id: eid(4), session_id: sid(3), type: "page_view", occurred_at: "2026-03-02T10:00:00Z" },
      ],
      orders: [
        // No customer_id: customer "visitor:v1", attributed to sid(2) (latest non-direct of v1).
        { order_id: "o1", visitor_id: "v1", total: 100, placed_at: "2026-03-02T11:00:00Z" },
        // Second order of the same customer "visitor:v1", also on sid(2): a repeat customer.
        { order_id: "o4", visitor_id: "v1", total: 20, placed_at: "2026-03-04T11:00:00Z" },
        // Named customer, attributed to v1's session sid(1) explicitly.
        { order_id: "o2", customer_id: "c2", session_id: sid(1), total: 40, placed_at: "2026-03-03T11:00:00Z" },
        { order_id: "o3", visitor_id: "v2", total: 7, placed_at: "2026-03-03T11:00:00Z" },
      ],
    });

  const readToken = async () => (await createApiToken(db(), { name: "r", scopes: ["read"] })).token;

  async function reports(token: string): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, handler] of REPORTS) {
      const r = await call(handler, `/api/utm/${name}?period=all`, { method: "GET", headers: { authorization: `Bearer ${token}` } });
      expect(r.status, name).toBe(200);
      out[name] = r.body;
    }
    return out;
  }

  it("deletes the events, anonymises the sessions (fresh visitor id each, URLs cleared, dimensions and facts kept)", async () => {
    await load();
    const before = await rows<Record<string, unknown>>(
      db(),
      sql`SELECT id::text, started_at::text, last_event_at::text, landing_path, landing_page, referrer_host, utm_source, utm_medium,
                 utm_campaign, country, device, browser, os, page_views, event_count, funnel_step, is_returning,
                 paid_orders, revenue::float8 AS revenue
          FROM sessions ORDER BY id`,
    );
    // v1: 2 sessions, 3 events; orders o1, o4 (visitor v1) and o2 (customer c2, visitor v1 via its named session).
    expect(await eraseVisitor(db(), "v1")).toEqual({ sessions: 2, events: 3, orders: 3 });
    const after = await rows<Record<string, unknown>>(
      db(),
      sql`SELECT id::text, started_at::text, last_event_at::text, landing_path, landing_page, referrer_host, utm_source, utm_medium,
                 utm_campaign, country, device, browser, os, page_views, event_count, funnel_step, is_returning,
                 paid_orders, revenue::float8 AS revenue
          FROM sessions ORDER BY id`,
    );
    expect(after).toEqual(before);
    // sid(1) kept its dimensions: landing page /spring, referrer google.com, source google/spring.
    expect(after[0]).toMatchObject({ landing_page: "/spring", referrer_host: "google.com", utm_source: "google", utm_campaign: "spring" });
    // sid(2): o1 + o4 = 2 paid orders, 100 + 20 = 120; 2 events, funnel step 2 (add_to_cart), returning.
    expect(after[1]).toMatchObject({ paid_orders: 2, revenue: 120, event_count: 2, page_views: 1, funnel_step: 2, is_returning: true });

    const ids = await rows<{ id: string; visitor_id: string; landing_url: string | null; referrer: string | null; click_ids: unknown; channel: string }>(
      db(),
      sql`SELECT id::text, visitor_id, landing_url, referrer, click_ids, channel FROM sessions ORDER BY id`,
    );
    // SPEC 17.4: sid(2)'s fbclid (from its landing URL) goes with the URL; its channel stays.
    expect([ids[1].click_ids, ids[1].channel]).toEqual([null, "Organic Social"]);
    expect(ids[0].visitor_id).toMatch(/^erased:[0-9a-f-]{36}$/);
    expect(ids[1].visitor_id).toMatch(/^erased:[0-9a-f-]{36}$/);
    expect(ids[0].visitor_id).not.toBe(ids[1].visitor_id);
    expect(ids.slice(0, 2).map((s) => [s.landing_url, s.referrer])).toEqual([[null, null], [null, null]]);
    expect(ids[2]).toMatchObject({ visitor_id: "v2", landing_url: null });

    const events = await rows<{ id: string }>(db(), sql`SELECT id::text FROM events ORDER BY id`);
    expect(events).toEqual([{ id: eid(4) }]);

    const orders = await rows<{ order_id: string; visitor_id: string | null; session_id: string | null; customer_id: string; session_named: boolean }>(
      db(),
      sql`SELECT order_id, visitor_id, session_id::text, customer_id, session_named FROM orders ORDER BY order_id`,
    );
    const erasedCustomer = orders[0].customer_id;
    expect(erasedCustomer).toMatch(/^erased:[0-9a-f-]{36}$/);
    expect(orders).toEqual([
      { order_id: "o1", visitor_id: null, session_id: sid(2), customer_id: erasedCustomer, session_named: false },
      { order_id: "o2", visitor_id: null, session_id: sid(1), customer_id: "c2", session_named: true },
      { order_id: "o3", visitor_id: "v2", session_id: sid(3), customer_id: "visitor:v2", session_named: false },
      { order_id: "o4", visitor_id: null, session_id: sid(2), customer_id: erasedCustomer, session_named: false },
    ]);
    const anyV1 = await rows<{ n: number }>(
      db(),
      sql`SELECT ((SELECT count(*) FROM sessions WHERE visitor_id = 'v1') + (SELECT count(*) FROM orders WHERE visitor_id = 'v1')
                 + (SELECT count(*) FROM customers WHERE customer_id = 'visitor:v1'))::int AS n`,
    );
    expect(anyV1).toEqual([{ n: 0 }]);
    const customers = await rows<{ customer_id: string; acquisition_session_id: string | null; utm_source: string; paid_orders: number; revenue: number }>(
      db(),
      sql`SELECT customer_id, acquisition_session_id::text, utm_source, paid_orders, revenue::float8 AS revenue FROM customers
          ORDER BY revenue DESC`,
    );
    // The erased customer keeps both orders (100 + 20 = 120) and its acquisition session sid(2) (facebook).
    expect(customers).toEqual([
      { customer_id: erasedCustomer, acquisition_session_id: sid(2), utm_source: "facebook", paid_orders: 2, revenue: 120 },
      { customer_id: "c2", acquisition_session_id: sid(1), utm_source: "google", paid_orders: 1, revenue: 40 },
      { customer_id: "visitor:v2", acquisition_session_id: sid(3), utm_source: "tiktok", paid_orders: 1, revenue: 7 },
    ]);
  });

  it("every report figure stays the same, except distinct visitors (one per anonymised session)", async () => {
    await load();
    const token = await readToken();
    const before = await reports(token);
    session.user = ADMIN;
    const r = await call(del, "/api/utm/visitors/v1", { method: "DELETE", params: { id: "v1" }, headers: SAME_ORIGIN });
    session.user = undefined;
    expect(r).toMatchObject({ status: 200, body: { visitor_id: "v1", sessions: 2, events: 3, orders: 3 } });
    const after = await reports(token);
    // Every figure is equal except distinct visitors where v1's two sessions meet in one total:
    // v1 + v2 = 2 before; two anonymous ids + v2 = 3 after.
    const visitorChanges = diffVisitors(before, after);
    expect(visitorChanges).toEqual([
      "campaigns.total.visitors: 2 -> 3",
      "general-stats.visitors: 2 -> 3",
      "landing-pages.total.visitors: 2 -> 3",
      "referrers.total.visitors: 2 -> 3",
      "sources.total.visitors: 2 -> 3",
    ]);
    expect(stripVisitors(after)).toEqual(stripVisitors(before));
    // Spot check by hand: revenue 100 + 20 + 40 + 7 = 167 over 4 paid orders, before and after.
    expect(after["general-stats"]).toMatchObject({ revenue: 167, orders: 4, sessions: 3 });
  });

  it("erasing an unknown visitor changes nothing", async () => {
    await load();
    expect(await eraseVisitor(db(), "nobody")).toEqual({ sessions: 0, events: 0, orders: 0 });
    const [n] = await rows<{ s: number; e: number }>(db(), sql`SELECT (SELECT count(*) FROM sessions WHERE visitor_id LIKE 'erased:%')::int AS s, (SELECT count(*) FROM events)::int AS e`);
    expect(n).toEqual({ s: 0, e: 4 });
  });

  it("the CLI erase does the same and refuses an id with NUL", async () => {
    await load();
    const lines: string[] = [];
    await runErase(db(), " v2 ", (l) => lines.push(l));
    expect(lines).toEqual(['Erased visitor v2: {"sessions":1,"events":1,"orders":1}']);
    await expect(runErase(db(), "a\u0000b")).rejects.toThrow(/--visitor must be valid text/);
  });

  it("DELETE /api/utm/visitors/{id} refuses an id with NUL, an undecodable one or one too long, before any query", async () => {
    await load();
    session.user = ADMIN;
    try {
      for (const [id, message] of [
        ["\u0000", "must be valid text (no NUL, valid UTF-8)"],
        ["v1\u0000", "must be valid text (no NUL, valid UTF-8)"],
        ["\ud800", "must be valid text (no NUL, valid UTF-8)"],
        ["x".repeat(65), "must be at most 64 characters"],
        ["", "must not be empty"],
      ]) {
        const r = await call(del, `/api/utm/visitors/${encodeURIComponent("x")}`, { method: "DELETE", params: { id }, headers: SAME_ORIGIN });
        expect(r, JSON.stringify(id)).toMatchObject({ status: 400, body: { issues: [{ path: "id", message }] } });
      }
    } finally {
      session.user = undefined;
    }
    const [n] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM sessions WHERE visitor_id = 'v1'`);
    expect(n.n).toBe(2);
  });

  it("DELETE /api/utm/visitors/{id} is for signed-in admins only", async () => {
    await load();
    const ingest = (await createApiToken(db(), { name: "x", scopes: ["ingest", "read"] })).token;
    expect((await call(del, "/api/utm/visitors/v1", { method: "DELETE", params: { id: "v1" } })).status).toBe(401);
    const r = await call(del, "/api/utm/visitors/v1", { method: "DELETE", params: { id: "v1" }, headers: { authorization: `Bearer ${ingest}` } });
    expect(r.status).toBe(403);
    const [n] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM sessions WHERE visitor_id = 'v1'`);
    expect(n.n).toBe(2);
  });
});
