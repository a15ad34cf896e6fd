import { beforeEach, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { SessionUser } from "@/lib/http/session";
import { createShareLink } from "@/lib/auth/share-links";
import { createUser } from "@/lib/auth/users";
import type { SavedView } from "@/lib/views/saved-views";
import { describeDb } from "../helpers/db";
import { call, type Handler } from "../helpers/ingest";

const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));
const route = await import("@/app/api/utm/views/route");
const [GET, POST, DELETE] = [route.GET, route.POST, route.DELETE] as unknown as Handler[];

const ANNA: SessionUser = { id: 1, email: "anna@shop.test", name: null, role: "admin" };
const VIC: SessionUser = { id: 2, email: "vic@shop.test", name: null, role: "viewer" };
const SAME = { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" };

const list = async (headers: Record<string, string> = {}) => call(GET, "/api/utm/views", { method: "GET", headers });
const save = (body: unknown, headers: Record<string, string> = SAME) => call(POST, "/api/utm/views", { body, headers });
const del = (qs: string, headers: Record<string, string> = SAME) => call(DELETE, `/api/utm/views?${qs}`, { method: "DELETE", headers });
const names = (b: unknown) => (b as { views: SavedView[] }).views.map((v) => v.name);

describeDb("api saved views", (ctx) => {
  beforeEach(async () => {
    // Users first (saved_views references them; truncating users clears saved_views too).
    await createUser(ctx.handle.db, { email: ANNA.email, password: "anna-pass-1", role: "admin" });
    await createUser(ctx.handle.db, { email: VIC.email, password: "vic-pass-1", role: "viewer" });
    session.user = ANNA;
  });

  it("saves, lists (own views only, by name), replaces by name and deletes", async () => {
    const google = await save({ name: "Google March", params: { start_date: "2026-03-01", end_date: "2026-03-31", utm_source: ["google", "bing"] } });
    expect(google.status).toBe(201);
    expect(google.body).toMatchObject({ id: 1, name: "Google March", params: { utm_source: ["google", "bing"] } });
    expect((await save({ name: "  All year  ", params: { period: "year", not_device: "tablet" } })).status).toBe(201);
    expect(names((await list()).body)).toEqual(["All year", "Google March"]);
    session.user = VIC; // a viewer has views of their own, and sees none of Anna's
    expect(names((await list()).body)).toEqual([]);
    expect((await del("id=1")).status).toBe(404);
    expect((await save({ name: "Google March", params: { period: "week" } })).status).toBe(201);
    session.user = ANNA;
    const again = await save({ name: "Google March", params: { period: "month", utm_campaign: "spring" } });
    expect((again.body as SavedView).id).toBe(1); // replaced, same row
    const views = (await list()).body as { views: SavedView[] };
    expect(views.views.map((v) => [v.name, v.params])).toEqual([
      ["All year", { period: "year", not_device: "tablet" }],
      ["Google March", { period: "month", utm_campaign: "spring" }],
    ]);
    expect((await del("id=1")).status).toBe(200);
    expect(names((await list()).body)).toEqual(["All year"]);
    session.user = VIC;
    expect(names((await list()).body)).toEqual(["Google March"]);
  });

  it("refuses bad views with 400 naming the field", async () => {
    const issue = async (body: unknown) => {
      const res = await save(body);
      return [res.status, (res.body as { issues?: { path: string }[] }).issues?.[0]?.path];
    };
    expect(await issue({ name: "", params: {} })).toEqual([400, "name"]);
    expect(await issue({ name: "x".repeat(81), params: {} })).toEqual([400, "name"]);
    expect(await issue({ name: "a\u0000b", params: {} })).toEqual([400, "name"]);
    expect(await issue({ name: 7, params: {} })).toEqual([400, "name"]);
    expect(await issue({ name: "v" })).toEqual([400, "params"]);
    expect(await issue({ name: "v", params: ["period=year"] })).toEqual([400, "params"]);
    expect(await issue({ name: "v", params: { chart: "revenue" } })).toEqual([400, "params.chart"]);
    expect(await issue({ name: "v", params: { period: "fortnight" } })).toEqual([400, "params.period"]);
    expect(await issue({ name: "v", params: { start_date: "2026-03-01" } })).toEqual([400, "params.end_date"]);
    expect(await issue({ name: "v", params: { utm_source: "a\u0000" } })).toEqual([400, "params.utm_source"]);
    expect(await issue({ name: "v", params: { utm_source: [] } })).toEqual([400, "params.utm_source"]);
    expect(await issue({ name: "v", params: { utm_source: 5 } })).toEqual([400, "params.utm_source"]);
    expect(await issue({ name: "v", params: {}, owner: 2 })).toEqual([400, "(root)"]);
    expect((await call(POST, "/api/utm/views", { raw: JSON.stringify({ name: "v", params: { utm_source: "x".repeat(20_000) } }), headers: SAME })).status).toBe(413);
    expect(names((await list()).body)).toEqual([]);
  });

  it("only a signed-in user, same-origin JSON; tokens and share links have no views; DELETE takes one valid id", async () => {
    const view = { name: "v", params: { period: "week" } };
    expect((await save(view, { origin: "https://evil.example" })).status).toBe(403);
    expect((await save(view, { ...SAME, "content-type": "text/plain" })).status).toBe(403);
    const read = (await createApiToken(ctx.handle.db, { name: "r", scopes: ["read"] })).token;
    const link = await createShareLink(ctx.handle.db, { params: "period=week" });
    session.user = undefined;
    expect((await list()).status).toBe(401);
    expect((await save(view)).status).toBe(401);
    expect((await list({ authorization: `Bearer ${read}` })).status).toBe(403);
    expect((await call(GET, `/api/utm/views?share=${encodeURIComponent(link.token)}`, { method: "GET" })).status).toBe(403);
    session.user = ANNA;
    expect((await save(view)).status).toBe(201);
    expect((await del("")).status).toBe(400);
    expect((await del("id=-1")).status).toBe(400);
    expect((await del("id=1&id=3")).status).toBe(400);
    expect((await del("id=1", { origin: "https://evil.example" })).status).toBe(403);
    expect((await del("id=1")).status).toBe(200);
  });
});
