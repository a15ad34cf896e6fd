import { sql } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { forgetConsentNotes } from "@/lib/ingest/consent";
import { collectQueueIdle } from "@/lib/ingest/collect-queue";
import { forwardPass } from "@/lib/forwarding/sender";
import { withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { call, eid, sid, type Handler } from "../helpers/ingest";
import { META_TOKEN, PIXEL_CODE, PIXEL_ID, platformEnv, startPlatforms, TIKTOK_TOKEN, type Platforms } from "../helpers/forwarding-platforms";

/**
 * SPEC 19 (settings, status, test event), 16/21 (doors): the forwarding routes refuse whoever
 * may not use them, refuse bad input with clear 4xx JSON, and the access token never appears
 * in an answer, a log line, a stored error or the settings page once saved.
 */

const user = vi.hoisted(() => ({ current: null as { id: number; email: string; name: string; role: "admin" | "viewer" } | null }));
// The signed-in user (next-auth needs a Next request scope); the session module moved from
// lib/auth to lib/http, so both homes are mocked.
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => user.current }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => user.current }));
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (name === "lang" ? { name, value: "en" } : undefined) }),
  headers: async () => new Headers(),
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }), redirect: () => {} }));

const listRoute = (await import("@/app/api/utm/forwarding/route")).GET as unknown as Handler;
const destRoute = await import("@/app/api/utm/forwarding/[destination]/route");
const putRoute = destRoute.PUT as unknown as Handler;
const deleteRoute = destRoute.DELETE as unknown as Handler;
const testRoute = (await import("@/app/api/utm/forwarding/[destination]/test/route")).POST as unknown as Handler;
const cronRoute = (await import("@/app/api/cron/forward/route")).GET as unknown as Handler;
const collectRoute = (await import("@/app/api/collect/route")).POST as unknown as Handler;
const { Forwarding } = await import("@/app/settings/Forwarding");

const APP = { origin: "http://localhost:3000" };
const put = (dest: string, body: unknown, headers: Record<string, string> = APP, raw?: string) =>
  call(putRoute, `/api/utm/forwarding/${dest}`, { method: "PUT", body, raw, headers, params: { destination: dest } });
const get = (headers: Record<string, string> = {}) => call(listRoute, "/api/utm/forwarding", { method: "GET", headers });

let p: Platforms;
beforeAll(async () => {
  p = await startPlatforms();
});
afterAll(async () => {
  await p.close();
});

describeDb("forwarding settings, status and doors", (ctx) => {
  const db = () => ctx.handle.db;
  beforeEach(async () => {
    user.current = { id: 1, email: "admin@shop.ua", name: "Admin", role: "admin" };
    await db().execute(sql`TRUNCATE forward_outbox, forward_destinations RESTART IDENTITY`);
    p.seen.length = 0;
    delete p.answer.meta;
    delete p.answer.tiktok;
    forgetConsentNotes();
  });

  it("saves a destination and never answers, lists or renders its access token", async () => {
    await withConfig(platformEnv(p.url), async () => {
      const saved = await put("meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN, test_event_code: "TEST123" });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ destination: "meta", enabled: true, settings: { pixel_id: PIXEL_ID, test_event_code: "TEST123" }, secret_hint: "…9876" });
      expect(JSON.stringify(saved.body)).not.toContain(META_TOKEN);
      // Saving again without the token keeps it (the form leaves the field empty).
      expect((await put("meta", { pixel_id: PIXEL_ID, enabled: false })).body).toMatchObject({ enabled: false, secret_hint: "…9876" });
      const listed = await get();
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(META_TOKEN);
      expect((listed.body as { destinations: { destination: string; configured: boolean }[] }).destinations.map((d) => `${d.destination}:${d.configured}`)).toEqual([
        "meta:true",
        "google:false",
        "tiktok:false",
      ]);
      // Not even the database holds it in the clear.
      const stored = await rows<{ secret_sealed: string }>(db(), sql`SELECT secret_sealed FROM forward_destinations`);
      expect(stored[0].secret_sealed).not.toContain(META_TOKEN);
      const page = renderToStaticMarkup(await Forwarding({ admin: true }));
      expect(page).toContain("set, ends …9876");
      expect(page).not.toContain(META_TOKEN);
      expect(page).toContain("Meta Conversions API");
      expect(renderToStaticMarkup(await Forwarding({ admin: false }))).not.toContain("forwarding-form-meta");
    });
  });

  it("keeps the token out of stored errors, log lines, the status answer and the test-event answer when a platform echoes it", async () => {
    await withConfig({ ...platformEnv(p.url), FORWARD_REQUIRE_CONSENT: "0" }, async () => {
      await put("tiktok", { pixel_code: PIXEL_CODE, access_token: TIKTOK_TOKEN, test_event_code: "TT1" });
      // A hostile or careless platform puts the token it was given into its error message.
      p.answer.tiktok = (s) => ({ status: 200, body: { code: 40105, message: `access token ${String(s.headers["access-token"])} is invalid` } });
      await db().execute(sql`INSERT INTO orders (order_id, customer_id, total, placed_at) VALUES ('o1', 'c1', 10, now())`);
      await db().execute(sql`INSERT INTO forward_outbox (destination, order_id, event_id) VALUES ('tiktok', 'o1', 'o1')`);
      const lines: string[] = [];
      const spies = (["log", "warn", "error", "info"] as const).map((m) => vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(" "))));
      try {
        expect(await forwardPass(db(), { log: (l) => lines.push(l) })).toMatchObject({ failed: 1 });
        const test = await call(testRoute, "/api/utm/forwarding/tiktok/test", { body: {}, headers: APP, params: { destination: "tiktok" } });
        expect(test.status).toBe(200);
        expect(test.body).toMatchObject({ ok: false, message: "TikTok HTTP 200 code 40105: access token [redacted] is invalid" });
        // The test event carried the test code; production events do not.
        expect((p.seen.at(-1)!.body as { test_event_code?: string }).test_event_code).toBe("TT1");
        const status = await get();
        const all = [JSON.stringify(status.body), JSON.stringify(test.body), ...lines, renderToStaticMarkup(await Forwarding({ admin: true }))].join("\n");
        expect(all).toContain("[redacted]");
        expect(all).not.toContain(TIKTOK_TOKEN);
        const stored = await rows<{ last_error: string }>(db(), sql`SELECT last_error FROM forward_outbox`);
        expect(stored[0].last_error).toBe("TikTok HTTP 200 code 40105: access token [redacted] is invalid");
        expect(lines.some((l) => l.includes("forwarding to tiktok"))).toBe(true);
      } finally {
        for (const s of spies) s.mockRestore();
      }
    });
  });

  it("sends a test event: Meta with test_event_code, Google as validateOnly", async () => {
    await withConfig(platformEnv(p.url), async () => {
      await put("meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN, test_event_code: "TEST123" });
      await put("google", { customer_id: "1234567890", conversion_action: "987654321", service_account_key: p.serviceAccountKey });
      const m = await call(testRoute, "/api/utm/forwarding/meta/test", { body: {}, headers: APP, params: { destination: "meta" } });
      expect(m.body).toMatchObject({ ok: true, status: 200, message: "accepted" });
      expect(p.seen.find((s) => s.platform === "meta")!.body).toMatchObject({ test_event_code: "TEST123" });
      const g = await call(testRoute, "/api/utm/forwarding/google/test", { body: {}, headers: APP, params: { destination: "google" } });
      expect(g.body).toMatchObject({ ok: true });
      expect(p.seen.find((s) => s.platform === "google")!.body).toMatchObject({ validateOnly: true });
      expect(JSON.stringify(g.body)).not.toContain("PRIVATE KEY");
      const n = await call(testRoute, "/api/utm/forwarding/tiktok/test", { body: {}, headers: APP, params: { destination: "tiktok" } });
      expect(n.status).toBe(404);
    });
  });

  it("refuses bad input with 4xx JSON naming the field", async () => {
    const bad = async (dest: string, body: unknown, status: number, path?: string, raw?: string) => {
      const r = await put(dest, body, { ...APP, "content-type": "application/json" }, raw);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(typeof (r.body as { error?: unknown }).error).toBe("string");
      if (path) expect((r.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    };
    await bad("meta", { pixel_id: 123, access_token: META_TOKEN }, 400, "pixel_id");
    await bad("meta", { pixel_id: PIXEL_ID }, 400, "access_token"); // the first save needs the token
    await bad("meta", { pixel_id: PIXEL_ID, access_token: "short" }, 400, "access_token");
    await bad("meta", { pixel_id: PIXEL_ID, access_token: `${META_TOKEN}\u0000x` }, 400);
    await bad("meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN, extra: 1 }, 400);
    await bad("meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN, enabled: "yes" }, 400, "enabled");
    await bad("meta", [1, 2], 400);
    await bad("meta", undefined, 400, undefined, "{not json");
    await bad("meta", { pixel_id: "x".repeat(100_000), access_token: META_TOKEN }, 413);
    await bad("google", { customer_id: "12345", conversion_action: "1", service_account_key: "{}" }, 400, "customer_id");
    await bad("google", { customer_id: "1234567890", conversion_action: "1", service_account_key: '{"client_email": "x"}' }, 400, "service_account_key");
    await bad("tiktok", { pixel_code: "lower-case", access_token: TIKTOK_TOKEN }, 400, "pixel_code");
    await bad("tiktok", { pixel_code: PIXEL_CODE, access_token: TIKTOK_TOKEN, test_event_code: "<script>" }, 400, "test_event_code");
    await bad("linkedin", { pixel_id: PIXEL_ID }, 404);
    expect((await call(deleteRoute, "/api/utm/forwarding/meta", { method: "DELETE", headers: APP, params: { destination: "meta" } })).status).toBe(404);
  });

  it("lets only admins (or a read token for the status) through, and cookie writes only from the app's origin as JSON", async () => {
    const body = { pixel_id: PIXEL_ID, access_token: META_TOKEN };
    expect((await put("meta", body, { origin: "https://evil.example" })).status).toBe(403);
    expect((await put("meta", body, {})).status).toBe(403); // no Origin, no Sec-Fetch-Site
    expect((await put("meta", undefined, { ...APP, "content-type": "text/plain" }, JSON.stringify(body))).status).toBe(403);
    user.current = { id: 2, email: "viewer@shop.ua", name: "Viewer", role: "viewer" };
    expect((await put("meta", body)).status).toBe(403);
    expect((await get()).status).toBe(403);
    user.current = null;
    expect((await get()).status).toBe(401);
    expect((await put("meta", body)).status).toBe(401);
    const read = (await createApiToken(db(), { name: "monitor", scopes: ["read"] })).token;
    const ingest = (await createApiToken(db(), { name: "shop", scopes: ["ingest"] })).token;
    expect((await get({ authorization: `Bearer ${read}` })).status).toBe(200);
    expect((await get({ authorization: `Bearer ${ingest}` })).status).toBe(403);
    expect((await get({ authorization: "Bearer nope" })).status).toBe(401);
    // Tokens cannot change destinations at all.
    expect((await put("meta", body, { authorization: `Bearer ${read}` })).status).toBe(403);
    expect(await rows(db(), sql`SELECT 1 FROM forward_destinations`)).toHaveLength(0);
  });

  it("GET /api/cron/forward needs CRON_SECRET and runs a pass", async () => {
    await withConfig({ ...platformEnv(p.url), CRON_SECRET: undefined }, async () => {
      expect((await call(cronRoute, "/api/cron/forward", { method: "GET" })).status).toBe(503);
    });
    await withConfig({ ...platformEnv(p.url), CRON_SECRET: "cron-secret-0123456789", FORWARD_REQUIRE_CONSENT: "0" }, async () => {
      expect((await call(cronRoute, "/api/cron/forward", { method: "GET", headers: { authorization: "Bearer wrong" } })).status).toBe(401);
      await put("meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      await db().execute(sql`INSERT INTO orders (order_id, customer_id, total, placed_at) VALUES ('o1', 'c1', 10, now())`);
      await db().execute(sql`INSERT INTO forward_outbox (destination, order_id, event_id, next_attempt_at) VALUES ('meta', 'o1', 'o1', now() - interval '1 second')`);
      const r = await call(cronRoute, "/api/cron/forward", { method: "GET", headers: { authorization: "Bearer cron-secret-0123456789" } });
      expect(r).toMatchObject({ status: 200, body: { sent: 1, retried: 0, failed: 0, skipped: 0 } });
    });
  });

  it("collect takes consent onto the session (latest report wins key by key) and refuses a bad one", async () => {
    const hit = (n: number, consent: unknown) =>
      call(collectRoute, "/api/collect", {
        body: { event_id: eid(n), visitor_id: "v1", session_id: sid(1), type: "page_view", url: "https://shop.example/?fbclid=abc", consent },
      });
    expect((await hit(1, { ad_user_data: "granted", ad_personalization: "denied" })).status).toBe(202);
    await collectQueueIdle(db());
    const consent = async () => (await rows<{ consent: Record<string, string> | null }>(db(), sql`SELECT consent FROM sessions WHERE id = ${sid(1)}`))[0].consent;
    expect(await consent()).toMatchObject({ ad_user_data: "granted", ad_personalization: "denied" });
    expect((await consent())!.user_agent).toMatch(/^Mozilla\/5\.0/); // kept while ad_user_data is granted (Meta asks for it)
    expect((await hit(2, { ad_user_data: "denied" })).status).toBe(202);
    expect(await consent()).toEqual({ ad_user_data: "denied", ad_personalization: "denied" }); // the User-Agent went with the grant
    for (const [n, c] of [
      [3, { ad_user_data: "yes" }],
      [4, { ad_user_data: "granted", unknown_purpose: "granted" }],
      [5, "granted"],
      [6, { ad_user_data: "granted\u0000" }],
    ] as const) {
      const r = await hit(n, c);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain("consent");
    }
    expect(await db().select().from(sessions)).toHaveLength(1);
  });
});
