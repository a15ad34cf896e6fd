import { sql } from "drizzle-orm";
import { beforeEach, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { SessionUser } from "@/lib/http/session";
import { createShareLink } from "@/lib/auth/share-links";
import { createUser } from "@/lib/auth/users";
import type { Annotation } from "@/lib/analytics/annotations";
import { describeDb } from "../helpers/db";
import { call, type Handler } from "../helpers/ingest";

const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));
const route = await import("@/app/api/utm/annotations/route");
const [GET, POST, DELETE] = [route.GET, route.POST, route.DELETE] as unknown as Handler[];

const ADMIN: SessionUser = { id: 1, email: "a@shop.test", name: null, role: "admin" };
const VIEWER: SessionUser = { id: 2, email: "v@shop.test", name: null, role: "viewer" };
const ORIGIN = "http://localhost:3000";
const SAME = { origin: ORIGIN, "sec-fetch-site": "same-origin" };
const MARCH = "start_date=2026-03-01&end_date=2026-03-31";

const list = async (qs: string, headers: Record<string, string> = {}) => call(GET, `/api/utm/annotations?${qs}`, { method: "GET", headers });
const post = (body: unknown, headers: Record<string, string> = SAME) => call(POST, "/api/utm/annotations", { body, headers });
const del = (qs: string, headers: Record<string, string> = SAME) => call(DELETE, `/api/utm/annotations?${qs}`, { method: "DELETE", headers });
const brief = (b: unknown) => (b as { annotations: Annotation[] }).annotations.map((a) => `${a.date} ${a.kind} ${a.text}`);

const XSS = `<img src=x onerror="alert(1)"> & </script>`;

describeDb("api annotations", (ctx) => {
  beforeEach(async () => {
    const db = ctx.handle.db;
    // The test helper's reset covers lib/db/schema.ts; the part-three tables are cleared here.
    await db.execute(sql`truncate annotations, alert_incidents restart identity cascade`);
    await createUser(db, { email: ADMIN.email, password: "admin-pass-1", role: "admin" });
    await createUser(db, { email: VIEWER.email, password: "viewer-pass-1", role: "viewer" });
    session.user = ADMIN;
    for (const n of [
      { date: "2026-03-05", text: "Spring sale on Google", utm_source: " Google " },
      { date: "2026-03-06", text: "Facebook promo", utm_source: "facebook", utm_campaign: "promo" },
      { date: "2026-03-07", text: XSS },
      { date: "2026-04-02", text: "April: outside March" },
    ]) {
      expect((await post(n)).status).toBe(201);
    }
    // First days of spend: google/spring began 20 Feb (outside March); facebook/promo's 3 March
    // row is 0 (no spend), so it began 4 March; google/summer began 8 March.
    await db.execute(sql`insert into ad_spend (date, utm_source, utm_campaign, amount) values
      ('2026-02-20', 'google', 'spring', 10), ('2026-03-01', 'google', 'spring', 5),
      ('2026-03-03', 'facebook', 'promo', 0), ('2026-03-04', 'facebook', 'promo', 12),
      ('2026-03-08', 'google', 'summer', 7)`);
    await db.execute(sql`insert into alert_incidents (rule_id, metric, opened_at, summary) values (null, 'sessions', '2026-03-09T10:00:00Z', 'Sessions dropped 40%')`);
  });

  it("lists notes, first days of spend and incidents of the range, by date; text comes back as sent", async () => {
    const res = await list(MARCH);
    expect(res.status).toBe(200);
    expect(brief(res.body)).toEqual([
      "2026-03-04 spend_start facebook / promo",
      "2026-03-05 note Spring sale on Google",
      "2026-03-06 note Facebook promo",
      `2026-03-07 note ${XSS}`,
      "2026-03-08 spend_start google / summer",
      "2026-03-09 incident Sessions dropped 40%",
    ]);
    const first = (res.body as { annotations: Annotation[] }).annotations[1];
    expect(first).toMatchObject({ kind: "note", id: 1, utm_source: "google", utm_campaign: null }); // trimmed, lower-cased
    session.user = VIEWER; // viewers read too
    expect(brief((await list("start_date=2026-04-01&end_date=2026-04-30")).body)).toEqual(["2026-04-02 note April: outside March"]);
  });

  it("a view's filters admit only annotations about its values (or about none)", async () => {
    // google: its own note, the global one, google/summer's first spend, the incident.
    expect(brief((await list(`${MARCH}&utm_source=google`)).body)).toEqual([
      "2026-03-05 note Spring sale on Google",
      `2026-03-07 note ${XSS}`,
      "2026-03-08 spend_start google / summer",
      "2026-03-09 incident Sessions dropped 40%",
    ]);
    // campaign promo: google's note names no campaign (kept); google/summer is another campaign.
    expect(brief((await list(`${MARCH}&utm_campaign=promo`)).body)).toEqual([
      "2026-03-04 spend_start facebook / promo",
      "2026-03-05 note Spring sale on Google",
      "2026-03-06 note Facebook promo",
      `2026-03-07 note ${XSS}`,
      "2026-03-09 incident Sessions dropped 40%",
    ]);
    expect(brief((await list(`${MARCH}&not_utm_source=google&not_utm_source=facebook`)).body)).toEqual([`2026-03-07 note ${XSS}`, "2026-03-09 incident Sessions dropped 40%"]);
  });

  it("share links see only their range and selection, and no incidents", async () => {
    const link = await createShareLink(ctx.handle.db, { params: `${MARCH}&utm_source=google` });
    session.user = undefined;
    const share = `share=${encodeURIComponent(link.token)}`;
    const viaShare = await list(`utm_source=google&${share}`);
    expect(viaShare.status).toBe(200);
    expect(brief(viaShare.body)).toEqual(["2026-03-05 note Spring sale on Google", `2026-03-07 note ${XSS}`, "2026-03-08 spend_start google / summer"]);
    expect(brief((await list(`start_date=2026-03-06&end_date=2026-03-07&utm_source=google&${share}`)).body)).toEqual([`2026-03-07 note ${XSS}`]);
    expect((await list(`start_date=2026-03-01&end_date=2026-04-30&utm_source=google&${share}`)).status).toBe(403); // wider
    expect((await list(`${MARCH}&${share}`)).status).toBe(403); // filter removed
    expect((await list(`${MARCH}&utm_source=facebook&${share}`)).status).toBe(403);
    // A share link never writes.
    expect((await call(POST, `/api/utm/annotations?${share}`, { body: { date: "2026-03-10", text: "x" }, headers: SAME })).status).toBe(403);
    expect((await call(DELETE, `/api/utm/annotations?id=1&${share}`, { method: "DELETE", headers: SAME })).status).toBe(403);
  });

  it("refuses bad notes with 400 naming the field; 413 past the size limit", async () => {
    const issue = async (body: unknown) => {
      const res = await post(body);
      return [res.status, (res.body as { issues?: { path: string }[] }).issues?.[0]?.path];
    };
    expect(await issue({ date: "2026-03-10" })).toEqual([400, "text"]);
    expect(await issue({ date: "2026-03-10", text: "   " })).toEqual([400, "text"]);
    expect(await issue({ date: "2026-03-10", text: "x".repeat(281) })).toEqual([400, "text"]);
    expect((await post({ date: "2026-03-10", text: "x".repeat(280) })).status).toBe(201); // the limit itself
    expect(await issue({ date: "2026-03-10", text: "a\u0000b" })).toEqual([400, "text"]);
    expect(await issue({ date: "2026-03-10", text: "a\ud800b" })).toEqual([400, "text"]); // lone surrogate
    expect(await issue({ date: "2026-02-30", text: "x" })).toEqual([400, "date"]);
    expect(await issue({ date: "0000-03-10", text: "x" })).toEqual([400, "date"]); // year 0
    expect(await issue({ date: 20260310, text: "x" })).toEqual([400, "date"]);
    expect(await issue({ date: "2026-03-10", text: ["x"] })).toEqual([400, "text"]);
    expect(await issue({ date: "2026-03-10", text: "x", utm_source: 5 })).toEqual([400, "utm_source"]);
    expect(await issue({ date: "2026-03-10", text: "x", utm_campaign: "y".repeat(501) })).toEqual([400, "utm_campaign"]);
    expect(await issue({ date: "2026-03-10", text: "x", html: true })).toEqual([400, "(root)"]);
    expect((await post([1, 2])).status).toBe(400);
    expect((await call(POST, "/api/utm/annotations", { raw: "{not json", headers: SAME })).status).toBe(400);
    // Bytes that are not UTF-8 inside the text: 400, never stored with a replacement character.
    const notUtf8 = new Uint8Array([...Buffer.from('{"date":"2026-03-10","text":"a'), 0xff, ...Buffer.from('b"}')]);
    const raw = await POST(new Request("http://localhost:3000/api/utm/annotations", { method: "POST", headers: { "content-type": "application/json", ...SAME }, body: notUtf8 }), { params: Promise.resolve({}) });
    expect(raw.status).toBe(400);
    expect((await call(POST, "/api/utm/annotations", { raw: JSON.stringify({ date: "2026-03-10", text: "y".repeat(5000) }), headers: SAME })).status).toBe(413);
  });

  it("only admins write, same-origin JSON only; DELETE takes one valid id", async () => {
    const note = { date: "2026-03-10", text: "x" };
    expect((await post(note, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(note, { ...SAME, "content-type": "text/plain" })).status).toBe(403);
    session.user = VIEWER;
    expect((await post(note)).status).toBe(403);
    expect((await del("id=1")).status).toBe(403);
    session.user = undefined;
    expect((await post(note)).status).toBe(401);
    expect((await list(MARCH)).status).toBe(401);
    const read = (await createApiToken(ctx.handle.db, { name: "r", scopes: ["read"] })).token;
    expect((await list(MARCH, { authorization: `Bearer ${read}` })).status).toBe(200);
    expect((await post(note, { authorization: `Bearer ${read}` })).status).toBe(403);
    session.user = ADMIN;
    expect((await list("start_date=2026-03-01")).status).toBe(400);
    expect((await list(`${MARCH}&utm_source=%00`)).status).toBe(400);
    expect((await del("")).status).toBe(400);
    expect((await del("id=abc")).status).toBe(400);
    expect((await del("id=1&id=2")).status).toBe(400);
    expect((await del("id=99999999999")).status).toBe(400);
    expect((await del("id=99")).status).toBe(404);
    expect((await del("id=2", { origin: "https://evil.example" })).status).toBe(403);
    expect((await del("id=2")).status).toBe(200);
    expect(brief((await list(MARCH)).body)).not.toContain("2026-03-06 note Facebook promo");
  });
});
