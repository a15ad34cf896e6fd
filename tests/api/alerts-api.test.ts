import { sql } from "drizzle-orm";
import { beforeEach, expect, it, vi } from "vitest";
import { createUser } from "@/lib/auth/users";
import type { SessionUser } from "@/lib/http/session";
import { describeDb } from "../helpers/db";

const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));

const { GET, POST, DELETE } = await import("@/app/api/utm/alerts/route");

const ADMIN: SessionUser = { id: 1, email: "a@shop.test", name: null, role: "admin" };
const VIEWER: SessionUser = { id: 2, email: "v@shop.test", name: null, role: "viewer" };
const ORIGIN = "http://localhost:3000";
const none = { params: Promise.resolve({}) } as { params: Promise<Record<string, never>> };
const same = { origin: ORIGIN, "sec-fetch-site": "same-origin" };

const get = (qs = "") => GET(new Request(`${ORIGIN}/api/utm/alerts${qs}`), none);
const postRaw = (body: string, headers: Record<string, string> = {}) =>
  POST(new Request(`${ORIGIN}/api/utm/alerts`, { method: "POST", headers: { "content-type": "application/json", ...same, ...headers }, body }), none);
const post = (body: unknown, headers: Record<string, string> = {}) => postRaw(JSON.stringify(body), headers);
const del = (qs: string, headers: Record<string, string> = same) => DELETE(new Request(`${ORIGIN}/api/utm/alerts${qs}`, { method: "DELETE", headers }), none);

const rule = { type: "rule", name: "Revenue fell", metric: "revenue", condition: "drop", threshold: 50 };
const issues = async (res: Response) => {
  const b = await res.json();
  return [res.status, b.issues?.map((i: { path: string }) => i.path)];
};

describeDb("api /api/utm/alerts", (ctx) => {
  beforeEach(async () => {
    await ctx.handle.db.execute(sql.raw("TRUNCATE notify_channels, alert_rules, alert_rule_channels, alert_incidents, alert_deliveries, report_channel_subscriptions RESTART IDENTITY CASCADE"));
    await createUser(ctx.handle.db, { email: ADMIN.email, password: "admin-pass-1", role: "admin" });
    session.user = ADMIN;
  });

  it("adds channels, rules and report subscriptions, lists them without secrets, and deletes them", async () => {
    const hook = await post({ type: "channel", kind: "webhook", name: "Hook", target: "https://hooks.example/utmd/secret-path-1234" });
    expect(hook.status).toBe(201);
    const hookBody = await hook.json();
    expect(hookBody).toMatchObject({ id: 1, kind: "webhook", target: "https://hooks.example/…1234", has_secret: true, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const tg = await post({ type: "channel", kind: "telegram", name: "TG", target: "@shop_alerts", secret: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ01234" });
    expect(tg.status).toBe(201);
    expect(await tg.json()).not.toHaveProperty("secret");
    const r = await post({ ...rule, filters: { utm_source: "google", not_country: ["UA", "PL"] }, window_hours: 3, channel_ids: [1, 2] });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({
      id: 1,
      metric: "revenue",
      condition: "drop",
      threshold: 50,
      window_hours: 3,
      channel_ids: [1, 2],
      filters: { utm_source: { is: ["google"], not: [] }, country: { is: [], not: ["UA", "PL"] } },
    });
    // No channels yet is fine (an incident is still recorded for the chart).
    const quiet = await post({ type: "rule", name: "Tracker", metric: "tracker_events", condition: "at_most", threshold: 0, window_hours: 2 });
    expect([quiet.status, (await quiet.json()).channel_ids]).toEqual([201, []]);
    const rep = await post({ type: "report", channel_id: 2, period: "week", language: "en" });
    expect([rep.status, await rep.json()]).toEqual([201, { id: 1, channel_id: 2, period: "week", language: "en" }]);
    // A report goes to Slack or Telegram only.
    expect(await issues(await post({ type: "report", channel_id: 1, period: "week" }))).toEqual([400, ["channel_id"]]);

    const list = await get();
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(hookBody.secret);
    expect(text).not.toContain("ABCdefGHI");
    expect(text).not.toContain("secret-path"); // a webhook URL is a credential too
    const body = JSON.parse(text);
    expect([body.rules.length, body.channels.length, body.reports.length, body.incidents]).toEqual([2, 2, 1, []]);

    expect((await del("?type=rule&id=1")).status).toBe(200);
    expect((await del("?type=rule&id=1")).status).toBe(404);
    expect((await del("?type=channel&id=2")).status).toBe(200);
    expect((await (await get()).json()).reports).toEqual([]); // the subscription went with its channel
  });

  it("refuses bad rules with 400 naming the field", async () => {
    expect(await issues(await post({ ...rule, threshold: "50" }))).toEqual([400, ["threshold"]]);
    expect(await issues(await post({ ...rule, metric: "bounces" }))).toEqual([400, ["metric"]]);
    expect(await issues(await post({ ...rule, condition: "below" }))).toEqual([400, ["condition"]]);
    expect(await issues(await post({ ...rule, threshold: 150 }))).toEqual([400, ["threshold"]]); // a drop is at most 100 %
    expect(await issues(await post({ ...rule, condition: "rise", threshold: 0 }))).toEqual([400, ["threshold"]]);
    expect(await issues(await post({ ...rule, threshold: 1e300 }))).toEqual([400, ["threshold"]]);
    expect(await issues(await post({ ...rule, window_hours: 1.5 }))).toEqual([400, ["window_hours"]]);
    expect(await issues(await post({ ...rule, window_hours: 25 }))).toEqual([400, ["window_hours"]]);
    expect(await issues(await post({ ...rule, name: "x".repeat(5000) }))).toEqual([400, ["name"]]);
    expect(await issues(await post({ ...rule, name: "a\u0000b" }))).toEqual([400, ["name"]]);
    expect(await issues(await post({ ...rule, name: "" }))).toEqual([400, ["name"]]);
    expect(await issues(await post({ ...rule, filters: { utm_sauce: "x" } }))).toEqual([400, ["filters.utm_sauce"]]);
    expect(await issues(await post({ ...rule, filters: { utm_source: 5 } }))).toEqual([400, ["filters.utm_source"]]);
    expect(await issues(await post({ ...rule, filters: { utm_source: "a\u0000" } }))).toEqual([400, ["filters.utm_source"]]);
    expect(await issues(await post({ ...rule, metric: "tracker_events", condition: "at_most", threshold: 0, filters: { utm_source: "x" } }))).toEqual([400, ["filters"]]);
    expect(await issues(await post({ ...rule, channel_ids: [99] }))).toEqual([400, ["channel_ids"]]);
    expect(await issues(await post({ ...rule, channel_ids: "1" }))).toEqual([400, ["channel_ids"]]);
    expect(await issues(await post({ ...rule, metric: "forwarding_failures", condition: "at_least", threshold: 1, filters: { utm_source: "x" } }))).toEqual([400, ["filters"]]);
    expect(await issues(await post({ ...rule, extra: true }))).toEqual([400, ["(root)"]]);
    expect(await issues(await post({ ...rule, type: "alarm" }))).toEqual([400, ["type"]]);
    expect(await issues(await post([rule]))).toEqual([400, ["(root)"]]);
    const notJson = await postRaw("{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toHaveProperty("error");
    // A name with bytes that are not UTF-8: 400 before any parsing of the rule.
    const notUtf8 = new Uint8Array([...Buffer.from('{"type":"rule","name":"a'), 0xff, ...Buffer.from('b","metric":"revenue","condition":"drop","threshold":50}')]);
    expect((await POST(new Request(`${ORIGIN}/api/utm/alerts`, { method: "POST", headers: { "content-type": "application/json", ...same }, body: notUtf8 }), none)).status).toBe(400);
    const huge = await postRaw(JSON.stringify({ ...rule, name: "x".repeat(70_000) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toBe("The body exceeds 64 KB");
    expect((await (await get()).json()).rules).toEqual([]);
  });

  it("refuses bad channels with 400 naming the field", async () => {
    expect(await issues(await post({ type: "channel", kind: "pigeon", name: "P", target: "x" }))).toEqual([400, ["kind"]]);
    expect(await issues(await post({ type: "channel", kind: "email", name: "M", target: "not-an-address" }))).toEqual([400, ["target"]]);
    expect(await issues(await post({ type: "channel", kind: "slack", name: "S", target: "javascript:alert(1)" }))).toEqual([400, ["target"]]);
    expect(await issues(await post({ type: "channel", kind: "slack", name: "S", target: `https://hooks.slack.com/${"a".repeat(3000)}` }))).toEqual([400, ["target"]]);
    expect(await issues(await post({ type: "channel", kind: "telegram", name: "T", target: "12345", secret: "nope" }))).toEqual([400, ["secret"]]);
    expect(await issues(await post({ type: "channel", kind: "telegram", name: "T", target: "chat; drop", secret: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ01234" }))).toEqual([400, ["target"]]);
    expect(await issues(await post({ type: "channel", kind: "webhook", name: "W", target: "https://x.example", secret: "short" }))).toEqual([400, ["secret"]]);
    expect(await issues(await post({ type: "channel", kind: "webhook", name: "W\u0000", target: "https://x.example" }))).toEqual([400, ["name"]]);
  });

  it("refuses bad DELETE parameters, GET parameters, and answers 404 for an unknown id", async () => {
    expect(await issues(await del("?type=rule&id=abc"))).toEqual([400, ["id"]]);
    expect(await issues(await del("?type=rule&id=99999999999"))).toEqual([400, ["id"]]);
    expect(await issues(await del("?type=bogus&id=1"))).toEqual([400, ["type"]]);
    expect((await del("?type=rule&id=1&id=2")).status).toBe(400);
    expect((await del("?type=channel&id=7")).status).toBe(404);
    expect((await get("?x=1")).status).toBe(400);
  });

  it("401 without a session, 403 for a viewer, a foreign Origin, a form content type or an API token", async () => {
    session.user = undefined;
    expect([(await get()).status, (await post(rule)).status, (await del("?type=rule&id=1")).status]).toEqual([401, 401, 401]);
    session.user = VIEWER;
    const viewer = await get();
    expect([viewer.status, (await viewer.json()).error]).toEqual([403, "This needs the admin role"]);
    expect((await post(rule)).status).toBe(403);
    session.user = ADMIN;
    const foreign = await post(rule, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect([foreign.status, (await foreign.json()).error]).toEqual([403, "Cross-origin requests cannot change data"]);
    expect((await del("?type=rule&id=1", { origin: "https://evil.example" })).status).toBe(403);
    expect((await del("?type=rule&id=1", {})).status).toBe(403); // neither Origin nor Sec-Fetch-Site
    expect((await post(rule, { "content-type": "text/plain" })).status).toBe(403);
    const token = await GET(new Request(`${ORIGIN}/api/utm/alerts`, { headers: { authorization: "Bearer not-a-token" } }), none);
    expect(token.status).toBe(401);
    expect((await (await get()).json()).rules).toEqual([]);
  });
});
