import { sql } from "drizzle-orm";
import { beforeEach, expect, it, vi } from "vitest";
import { POST as createUserRoute } from "@/app/api/settings/users/route";
import { PATCH as patchUserRoute } from "@/app/api/settings/users/[id]/route";
import { POST as createTokenRoute } from "@/app/api/settings/tokens/route";
import { POST as createShareLinkRoute } from "@/app/api/settings/share-links/route";
import { POST as createSubscriptionRoute } from "@/app/api/admin/subscriptions/route";
import { DELETE as deleteSubscriptionRoute } from "@/app/api/admin/subscriptions/[id]/route";
import { DELETE as revokeShareLinkRoute } from "@/app/api/settings/share-links/[id]/route";
import { POST as adSpendRoute } from "@/app/api/utm/ad-spend/route";
import { DELETE as eraseVisitorRoute } from "@/app/api/utm/visitors/[id]/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import { describeDb } from "../helpers/db";

/**
 * SPEC 16 (CSRF): every cookie-authenticated write must come from the app's own origin with the
 * content type the route expects. The signed-in admin is the session (mocked: next-auth needs a
 * Next request scope); APP_URL is the test default http://localhost:3000.
 */
vi.mock("@/lib/http/session", () => ({
  getSessionUser: async () => ({ id: 1, email: "admin@shop.ua", name: "Admin", role: "admin" }),
}));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const h = (f: unknown) => f as Handler;
const APP = "http://localhost:3000";
const LINK_ID = "5b7d9a8e-0000-4000-8000-000000000001";
const EVIL = "http://localhost:4000"; // same site (same host), another origin

type Attempt = { name: string; handler: Handler; path: string; method: string; body?: string; params?: Record<string, string>; json?: boolean };
const WRITES: Attempt[] = [
  { name: "create user", handler: h(createUserRoute), path: "/api/settings/users", method: "POST", body: JSON.stringify({ email: "evil@shop.ua", password: "password123", role: "admin" }), json: true },
  { name: "promote user", handler: h(patchUserRoute), path: "/api/settings/users/2", method: "PATCH", body: JSON.stringify({ role: "admin" }), params: { id: "2" }, json: true },
  { name: "create token", handler: h(createTokenRoute), path: "/api/settings/tokens", method: "POST", body: JSON.stringify({ name: "evil", scopes: ["read", "ingest"] }), json: true },
  { name: "create share link", handler: h(createShareLinkRoute), path: "/api/settings/share-links", method: "POST", body: JSON.stringify({ params: "period=month", expires_in_days: 7 }), json: true },
  { name: "subscribe", handler: h(createSubscriptionRoute), path: "/api/admin/subscriptions", method: "POST", body: JSON.stringify({ email: "evil@shop.ua", period: "day", language: "en" }), json: true },
  { name: "ad spend", handler: h(adSpendRoute), path: "/api/utm/ad-spend", method: "POST", body: JSON.stringify([{ date: "2026-03-01", utm_source: "evil", utm_campaign: "x", amount: 1 }]), json: true },
  { name: "erase visitor", handler: h(eraseVisitorRoute), path: "/api/utm/visitors/v1", method: "DELETE", params: { id: "v1" } },
  { name: "unsubscribe", handler: h(deleteSubscriptionRoute), path: "/api/admin/subscriptions/1", method: "DELETE", params: { id: "1" } },
  { name: "revoke share link", handler: h(revokeShareLinkRoute), path: `/api/settings/share-links/${LINK_ID}`, method: "DELETE", params: { id: LINK_ID } },
];

const call = (a: Attempt, headers: Record<string, string>, body = a.body) =>
  a.handler(new Request(APP + a.path, { method: a.method, headers, body }), { params: Promise.resolve(a.params ?? {}) });

describeDb("CSRF guard on cookie-authenticated writes (SPEC 16)", (ctx) => {
  const counts = async () => {
    const r = await ctx.handle.db.execute(
      sql`select (select count(*)::int from users) as users, (select count(*)::int from users where role = 'admin') as admins,
        (select count(*)::int from api_tokens) as tokens, (select count(*)::int from share_links) as links,
        (select count(*)::int from report_subscriptions) as subs, (select count(*)::int from ad_spend) as spend`,
    );
    return (r as unknown as { rows?: unknown[] }).rows?.[0] ?? (r as unknown as unknown[])[0];
  };

  beforeEach(async () => {
    await createUser(ctx.handle.db, { email: "admin@shop.ua", password: "password123", role: "admin" }); // id 1
    await createUser(ctx.handle.db, { email: "viewer@shop.ua", password: "password123", role: "viewer" }); // id 2
  });

  it("refuses another origin, a missing Origin without Sec-Fetch-Site same-origin, and Origin null: 403, nothing written", async () => {
    const before = await counts();
    // 2 users (1 admin), nothing else.
    expect(before).toEqual({ users: 2, admins: 1, tokens: 0, links: 0, subs: 0, spend: 0 });
    const hostile: Record<string, string>[] = [
      { origin: EVIL, "content-type": "application/json" },
      { origin: EVIL, "content-type": "text/plain" },
      { origin: EVIL, "content-type": "multipart/form-data; boundary=x" },
      { origin: "null", "content-type": "application/json" },
      { "sec-fetch-site": "same-site", "content-type": "application/json" },
      { "content-type": "application/json" },
    ];
    for (const a of WRITES) {
      for (const headers of hostile) {
        const res = await call(a, headers);
        expect([a.name, JSON.stringify(headers), res.status]).toEqual([a.name, JSON.stringify(headers), 403]);
        expect(await res.json()).toEqual({ error: "Cross-origin requests cannot change data" });
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses a same-origin body that is not the declared type (text/plain JSON, urlencoded form): 403 (SPEC 16)", async () => {
    const before = await counts();
    for (const a of WRITES.filter((w) => w.json)) {
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "text/plain; charset=utf-8"]) {
        const res = await call(a, { origin: APP, "content-type": type });
        expect([a.name, type, res.status]).toEqual([a.name, type, 403]);
      }
      expect((await call(a, { "sec-fetch-site": "same-origin" })).status).toBe(403); // no content type at all
    }
    expect(await counts()).toEqual(before);
  });

  it("accepts the app's own origin with application/json (the settings forms), and Sec-Fetch-Site same-origin", async () => {
    const ok = await Promise.all(WRITES.filter((w) => w.json).map(async (a) => [a.name, (await call(a, { origin: APP, "content-type": "application/json" })).status]));
    expect(ok).toEqual([
      ["create user", 201],
      ["promote user", 200],
      ["create token", 201],
      ["create share link", 201],
      ["subscribe", 201],
      ["ad spend", 200],
    ]);
    expect((await call(WRITES[6], { "sec-fetch-site": "same-origin" })).status).toBe(200);
    // One of each written: 3 users (2 admins after the promotion), 1 token, 1 link, 1 subscription, 1 spend row.
    expect(await counts()).toEqual({ users: 3, admins: 3, tokens: 1, links: 1, subs: 1, spend: 1 });
  });

  it("accepts a multipart CSV upload of ad spend from the app's origin; Bearer tokens are exempt from the origin check", async () => {
    const form = new FormData();
    form.set("file", new Blob(["date,utm_source,utm_campaign,amount\n2026-03-01,google,spring,10\n"], { type: "text/csv" }), "spend.csv");
    const multipart = new Request(APP + "/api/utm/ad-spend", { method: "POST", headers: { origin: APP }, body: form });
    expect((await h(adSpendRoute)(multipart, { params: Promise.resolve({}) })).status).toBe(200);
    const { token } = await createApiToken(ctx.handle.db, { name: "ingest", scopes: ["ingest"] });
    const res = await call(WRITES[5], { authorization: `Bearer ${token}`, origin: EVIL, "content-type": "text/plain" });
    expect(res.status).toBe(200);
    expect((await counts()) as { spend: number }).toMatchObject({ spend: 2 });
  });
  it("behind the app's own server wrapper, the host the browser used is an own origin: 127.0.0.1 or a LAN address works without APP_URL (SPEC 21)", async () => {
    const token = WRITES[2];
    // Next's URL is the internal listener; Host is what the browser typed (the front server forwards it).
    const viaWrapper = (origin: string, host: string) =>
      token.handler(new Request("http://localhost:41234" + token.path, { method: "POST", headers: { origin, host, "content-type": "application/json" }, body: token.body }), { params: Promise.resolve({}) });
    const before = process.env.UTMD_PEER_HEADER;
    try {
      delete process.env.UTMD_PEER_HEADER;
      // A bare `next start`: Host is not ours to believe.
      expect((await viaWrapper("http://127.0.0.1:3000", "127.0.0.1:3000")).status).toBe(403);
      process.env.UTMD_PEER_HEADER = "1";
      expect((await viaWrapper("http://127.0.0.1:3000", "127.0.0.1:3000")).status).toBe(201);
      expect((await viaWrapper("http://192.168.1.20:3000", "192.168.1.20:3000")).status).toBe(201);
      // A foreign page's Origin never equals our Host; nor another port of the same host.
      expect((await viaWrapper("http://evil.example", "127.0.0.1:3000")).status).toBe(403);
      expect((await viaWrapper("http://127.0.0.1:4000", "127.0.0.1:3000")).status).toBe(403);
    } finally {
      if (before === undefined) delete process.env.UTMD_PEER_HEADER;
      else process.env.UTMD_PEER_HEADER = before;
    }
    expect((await counts()) as { tokens: number }).toMatchObject({ tokens: 2 });
  });
});
