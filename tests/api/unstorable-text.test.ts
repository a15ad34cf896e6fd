import { sql } from "drizzle-orm";
import { beforeEach, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/http/session";
import { createUser } from "@/lib/auth/users";
import { rows } from "@/lib/db/client";
import { describeDb } from "../helpers/db";

/**
 * SPEC 21: text PostgreSQL cannot store (NUL, a lone UTF-16 surrogate) is refused with 400 naming
 * the field on every write path. Before, these six settings-style writes answered 500 (the
 * database refused the value), and the ingest paths stripped it silently.
 */

const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));

const { POST: adSpend } = await import("@/app/api/utm/ad-spend/route");
const { PUT: campaignMap } = await import("@/app/api/utm/campaign-map/route");
const { POST: links } = await import("@/app/api/utm/links/route");
const { PUT: rules } = await import("@/app/api/utm/links/rules/route");
const { POST: tokens } = await import("@/app/api/settings/tokens/route");
const { POST: orders } = await import("@/app/api/ingest/orders/route");

const ADMIN: SessionUser = { id: 1, email: "a@shop.test", name: null, role: "admin" };
const ORIGIN = "http://localhost:3000";
const none = { params: Promise.resolve({}) } as { params: Promise<Record<string, never>> };
type Handler = (req: Request, ctx: typeof none) => Promise<Response>;

const send = (handler: Handler, path: string, method: string, body: string, type = "application/json") =>
  handler(new Request(`${ORIGIN}${path}`, { method, headers: { "content-type": type, origin: ORIGIN, "sec-fetch-site": "same-origin" }, body }), none);

const MESSAGE = "must not contain NUL characters or lone UTF-16 surrogates";

describeDb("unstorable text on write paths (SPEC 21)", (ctx) => {
  beforeEach(async () => {
    await createUser(ctx.handle.db, { email: ADMIN.email, password: "admin-pass-1", role: "admin" });
    session.user = ADMIN;
  });

  const count = async (table: string) => (await rows<{ n: number }>(ctx.handle.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0].n;

  it("six settings writes that answered 500 now answer 400 naming the field, storing nothing", async () => {
    const cases: Array<[string, Handler, string, string, string, string, string?]> = [
      ["ad-spend rows", adSpend as Handler, "/api/utm/ad-spend", "POST", JSON.stringify([{ date: "2026-03-01", utm_source: "goo\u0000gle", utm_campaign: "a", amount: 1 }]), "[0].utm_source"],
      ["ad-spend CSV", adSpend as Handler, "/api/utm/ad-spend", "POST", "date,utm_source,utm_campaign,amount\n2026-03-01,goo\u0000gle,a,1\n", "(body)", "text/csv"],
      ["campaign map", campaignMap as Handler, "/api/utm/campaign-map", "PUT", JSON.stringify([{ utm_source: "google", platform_campaign: "A\u0000", utm_campaign: "a" }]), "[0].platform_campaign"],
      ["links", links as Handler, "/api/utm/links", "POST", JSON.stringify({ base_url: "https://shop.example/", utm_source: "google", utm_medium: "cpc", utm_campaign: "x\ud800" }), "utm_campaign"],
      ["rules", rules as Handler, "/api/utm/links/rules", "PUT", JSON.stringify({ lowercase: true, allowed_sources: ["a\u0000"] }), "allowed_sources[0]"],
      ["tokens", tokens as Handler, "/api/settings/tokens", "POST", JSON.stringify({ name: "shop\u0000", scopes: ["read"] }), "name"],
    ];
    for (const [label, handler, path, method, body, field, type] of cases) {
      const r = await send(handler, path, method, body, type);
      expect(r.status, label).toBe(400);
      const answer = await r.json();
      expect(answer.issues[0], label).toEqual({ path: field, message: field === "(body)" ? `${MESSAGE} (line 2)` : MESSAGE });
    }
    for (const table of ["ad_spend", "campaign_map", "utm_links", "api_tokens"]) expect(await count(table), table).toBe(0);
  });

  it("an order id with a NUL is refused, never stored as another order's id (a\\u0000b was stored as ab)", async () => {
    const { createApiToken } = await import("@/lib/auth/api-tokens");
    const token = (await createApiToken(ctx.handle.db, { name: "i", scopes: ["ingest"] })).token;
    const post = (body: unknown) =>
      orders(new Request(`${ORIGIN}/api/ingest/orders`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) }), none);
    const first = await post({ order_id: "ab", total: 10 });
    expect(first.status, JSON.stringify(await first.clone().json())).toBe(200);
    const r = await post([{ order_id: "ok", total: 1 }, { order_id: "a\u0000b", total: 99, customer_id: "c\udc00" }]);
    expect(r.status).toBe(400);
    expect((await r.json()).issues).toEqual([
      { path: "[1].order_id", message: MESSAGE },
      { path: "[1].customer_id", message: MESSAGE },
    ]);
    // Only the first post's order: the refused array stored nothing, and "ab" kept its total 10.
    expect(await rows(ctx.handle.db, sql`SELECT order_id, total::float8 AS total FROM orders`)).toEqual([{ order_id: "ab", total: 10 }]);
  });
});
