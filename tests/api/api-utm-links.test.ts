import { beforeEach, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import type { SessionUser } from "@/lib/http/session";
import { describeDb } from "../helpers/db";
import { loadFixture } from "../fixtures/analytics-fixture";

// The signed-in user of a request (next-auth's session) is set per test.
const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));

const { GET: list, POST: create } = await import("@/app/api/utm/links/route");
const { DELETE: remove } = await import("@/app/api/utm/links/[id]/route");
const { GET: getRules, PUT: putRules } = await import("@/app/api/utm/links/rules/route");

const ADMIN: SessionUser = { id: 1, email: "a@shop.test", name: null, role: "admin" };
const VIEWER: SessionUser = { id: 2, email: "v@shop.test", name: null, role: "viewer" };
const ORIGIN = "http://localhost:3000";
const none = { params: Promise.resolve({}) } as { params: Promise<Record<string, never>> };

const get = (qs: string, headers: Record<string, string> = {}) => list(new Request(`${ORIGIN}/api/utm/links?${qs}`, { headers }), none);
const post = (body: unknown) =>
  create(
    new Request(`${ORIGIN}/api/utm/links`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "sec-fetch-site": "same-origin" },
      body: JSON.stringify(body),
    }),
    none,
  );
const put = (body: unknown) =>
  putRules(
    new Request(`${ORIGIN}/api/utm/links/rules`, {
      method: "PUT",
      headers: { "content-type": "application/json", origin: ORIGIN, "sec-fetch-site": "same-origin" },
      body: JSON.stringify(body),
    }),
    none,
  );
const del = (id: string) =>
  remove(new Request(`${ORIGIN}/api/utm/links/${id}`, { method: "DELETE", headers: { origin: ORIGIN, "sec-fetch-site": "same-origin" } }), { params: Promise.resolve({ id }) });

const MARCH = "start_date=2026-03-01&end_date=2026-03-31";
const link = (campaign: string, extra: Record<string, string> = {}) => ({ base_url: "https://shop.example/sale", utm_source: "google", utm_medium: "cpc", utm_campaign: campaign, ...extra });

describeDb("api utm links", (ctx) => {
  beforeEach(async () => {
    // Real rows: a saved link references its creator.
    await createUser(ctx.handle.db, { email: ADMIN.email, password: "admin-pass-1", role: "admin" });
    await createUser(ctx.handle.db, { email: VIEWER.email, password: "viewer-pass-1", role: "viewer" });
    session.user = ADMIN;
  });

  it("saves links and lists them with sessions, orders and revenue of the range (unclicked → zeros)", async () => {
    await loadFixture(ctx.handle.db);
    const l1 = await post({ ...link("spring", { utm_content: "a" }), name: "Spring A" });
    expect(l1.status).toBe(201);
    expect(await l1.json()).toMatchObject({
      id: 1,
      name: "Spring A",
      utm_content: "a",
      utm_term: "(none)",
      url: "https://shop.example/sale?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_content=a",
    });
    expect((await post({ base_url: "https://shop.example/", utm_source: "facebook", utm_medium: "paid", utm_campaign: "spring", utm_content: "a" })).status).toBe(201);
    expect((await post(link("summer"))).status).toBe(201);
    expect((await post(link("spring", { utm_content: "a", utm_term: "shoes" }))).status).toBe(201);

    session.user = VIEWER;
    const res = await get(MARCH);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { links: { id: number; sessions: number; orders: number; revenue: number }[] };
    // Fixture, March 2026 (sessions store (none) for an unset content/term):
    //  1 google/cpc/spring/a      → S1 only (S2 is content b, S6 is 28 Feb): 1 session, o1 paid 100 (o1r refunded) → 1 order, 100
    //  2 facebook/paid/spring/a   → S3: o2 200.50 + o3 50 (placed in April, still counts) = 2 orders, 250.50 (o4 pending)
    //  3 google/cpc/summer        → S5 (content and term (none)): 1 session, no orders
    //  4 google/cpc/spring/a/shoes → no session has that term: never clicked
    expect(body.links.map((l) => [l.id, l.sessions, l.orders, l.revenue])).toEqual([
      [4, 0, 0, 0],
      [3, 1, 0, 0],
      [2, 1, 2, 250.5],
      [1, 1, 1, 100],
    ]);
    // February + March: link 1 also gets S6 (28 Feb, o5 999 paid): 2 sessions, 2 orders, 100 + 999 = 1099.
    const wide = (await (await get("start_date=2026-02-01&end_date=2026-03-31")).json()) as typeof body;
    expect(wide.links.find((l) => l.id === 1)).toMatchObject({ sessions: 2, orders: 2, revenue: 1099 });
  });

  it("checks the naming rules set in settings; 400 names the field", async () => {
    const rules = await put({ lowercase: true, allowed_sources: ["Google", "facebook"], allowed_mediums: ["cpc"] });
    expect(await rules.json()).toEqual({ lowercase: true, allowed_sources: ["google", "facebook"], allowed_mediums: ["cpc"] });
    session.user = VIEWER;
    expect(await (await getRules(new Request(`${ORIGIN}/api/utm/links/rules`), none)).json()).toMatchObject({ allowed_mediums: ["cpc"] });
    session.user = ADMIN;
    const bad = await post({ base_url: "shop", utm_source: "tiktok", utm_medium: "cpc", utm_campaign: "Spring" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(["base_url", "utm_campaign", "utm_source"]);
    expect((await post({ utm_source: 5 })).status).toBe(400);
    expect((await put({ lowercase: "yes" })).status).toBe(400);
  });

  it("viewers and read tokens read; only admins save and delete; 404 for unknown ids; 400 for a bad range", async () => {
    await post(link("spring"));
    session.user = VIEWER;
    expect((await post(link("x"))).status).toBe(403);
    expect((await del("1")).status).toBe(403);
    expect((await put({ lowercase: false })).status).toBe(403);
    session.user = undefined;
    expect((await get(MARCH)).status).toBe(401);
    const token = (await createApiToken(ctx.handle.db, { name: "r", scopes: ["read"] })).token;
    expect((await get(MARCH, { authorization: `Bearer ${token}` })).status).toBe(200);
    session.user = ADMIN;
    const badRange = await get("start_date=2026-03-31&end_date=2026-03-01");
    expect(badRange.status).toBe(400);
    expect(((await badRange.json()) as { issues: { path: string }[] }).issues[0].path).toBe("start_date");
    expect((await del("abc")).status).toBe(404);
    expect((await del("99")).status).toBe(404);
    expect((await del("1")).status).toBe(200);
    expect(((await (await get(MARCH)).json()) as { links: unknown[] }).links).toEqual([]);
  });
});
