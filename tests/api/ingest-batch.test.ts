import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST } from "@/app/api/ingest/batch/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { describeDb } from "../helpers/db";
import { call, CHROME_UA, eid, sid, type Handler } from "../helpers/ingest";

const post = POST as unknown as Handler;
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

type Row = {
  id: string;
  visitor_id: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  country: string;
  device: string;
  browser: string;
  os: string;
  page_views: number;
  event_count: number;
  funnel_step: number;
  is_returning: boolean;
  paid_orders: number;
  revenue: number;
  last_event_at: string;
};

const fixture = () => ({
  sessions: [
    {
      id: sid(1),
      visitor_id: "v1",
      started_at: "2026-03-01T10:00:00Z",
      landing_url: "https://shop.example.com/?utm_source=Google&utm_medium=CPC&utm_campaign=brand",
      user_agent: CHROME_UA,
    },
    {
      id: sid(2),
      visitor_id: "v1",
      started_at: "2026-03-05T10:00:00+02:00",
      landing_url: "https://shop.example.com/?utm_source=ignored",
      referrer: "https://www.bing.com/",
      utm_source: " Facebook ",
      utm_medium: "Social",
      country: "ua",
      device: "Mobile",
      user_agent: IPHONE_UA,
    },
  ],
  events: [
    { id: eid(1), session_id: sid(1), type: "page_view", occurred_at: "2026-03-01T10:00:00Z", path: "/" },
    { id: eid(2), session_id: sid(1), type: "product_view", occurred_at: "2026-03-01T10:01:00Z", path: "/p/1" },
    { id: eid(3), session_id: sid(2), type: "page_view", occurred_at: "2026-03-05T08:00:00Z" },
    { id: eid(4), session_id: sid(2), type: "checkout_start", occurred_at: "2026-03-05T08:05:00Z", properties: { step: 1 } },
    { id: eid(5), session_id: sid(2), type: "custom", name: "chat", occurred_at: "2026-03-05T08:06:00Z" },
  ],
  orders: [{ order_id: "o1", visitor_id: "v1", customer_id: "c1", total: 250.5, placed_at: "2026-03-05T09:00:00Z" }],
});

describeDb("POST /api/ingest/batch", (ctx) => {
  const db = () => ctx.handle.db;
  let token = "";
  const send = async (body: unknown, auth: string | null = token) =>
    call(post, "/api/ingest/batch", { body, headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const setup = async () => {
    token = (await createApiToken(db(), { name: "import", scopes: ["ingest"] })).token;
  };
  const sessionRows = () =>
    rows<Row>(
      db(),
      sql`SELECT id::text, visitor_id, utm_source, utm_medium, utm_campaign, country, device, browser, os, page_views,
                 event_count, funnel_step::int AS funnel_step, is_returning, paid_orders, revenue::float8 AS revenue,
                 to_char(last_event_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS last_event_at
          FROM sessions ORDER BY id`,
    );
  const counts = async () =>
    (
      await rows<{ s: number; e: number; o: number; c: number }>(
        db(),
        sql`SELECT (SELECT count(*) FROM sessions)::int AS s, (SELECT count(*) FROM events)::int AS e,
                   (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM customers)::int AS c`,
      )
    )[0];

  it("stores sessions, events and orders with derived and explicit attributes and maintained facts", async () => {
    await setup();
    const r = await send(fixture());
    expect(r).toMatchObject({ status: 200, body: { sessions: 2, events: 5, orders: 1 } });
    expect(await sessionRows()).toEqual([
      {
        id: sid(1), visitor_id: "v1", utm_source: "google", utm_medium: "cpc", utm_campaign: "brand", country: "(none)",
        device: "desktop", browser: "Chrome", os: "Windows",
        // 2 events, 1 page view, furthest step product_view = 1, last event 10:01.
        page_views: 1, event_count: 2, funnel_step: 1, is_returning: false, paid_orders: 0, revenue: 0,
        last_event_at: "2026-03-01T10:01:00",
      },
      {
        // Explicit source/medium/country/device win over landing URL, referrer and UA, normalised.
        id: sid(2), visitor_id: "v1", utm_source: "facebook", utm_medium: "social", utm_campaign: "(none)", country: "UA",
        device: "mobile", browser: "Safari", os: "iOS",
        // 3 events, 1 page view, checkout_start = 3; returning (v1 started on 03-01); the order placed
        // 09:00 UTC goes to this latest non-direct session (started 08:00 UTC).
        page_views: 1, event_count: 3, funnel_step: 3, is_returning: true, paid_orders: 1, revenue: 250.5,
        last_event_at: "2026-03-05T08:06:00",
      },
    ]);
    const [c] = await rows<{ customer_id: string; utm_source: string; device: string; revenue: number }>(
      db(),
      sql`SELECT customer_id, utm_source, device, revenue::float8 AS revenue FROM customers`,
    );
    expect(c).toEqual({ customer_id: "c1", utm_source: "facebook", device: "mobile", revenue: 250.5 });
  });

  it("is idempotent: the same batch twice, and 20 concurrent copies, store everything once", async () => {
    await setup();
    expect((await send(fixture())).status).toBe(200);
    const before = await sessionRows();
    const again = await send(fixture());
    // Counts are records stored or updated, so a repeat answers the same counts.
    expect(again.body).toEqual({ sessions: 2, events: 5, orders: 1 });
    expect(await sessionRows()).toEqual(before);
    const results = await Promise.all(Array.from({ length: 20 }, () => send(fixture())));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await counts()).toEqual({ s: 2, e: 5, o: 1, c: 1 });
    expect(await sessionRows()).toEqual(before);
  });

  it("keeps facts true out of order: a backfilled older session flips later ones, late events count", async () => {
    await setup();
    await ingestBatch(db(), {
      sessions: [{ id: sid(2), visitor_id: "v1", started_at: "2026-03-05T10:00:00Z" }, { id: sid(3), visitor_id: "v1", started_at: "2026-03-06T10:00:00Z" }],
    });
    // Alone, sid(2) is new and sid(3) returning.
    expect((await sessionRows()).map((s) => [s.id, s.is_returning])).toEqual([[sid(2), false], [sid(3), true]]);
    await ingestBatch(db(), { sessions: [{ id: sid(1), visitor_id: "v1", started_at: "2026-03-01T10:00:00Z" }] });
    // The backfilled older session is the first: the two later ones are both returning now.
    expect((await sessionRows()).map((s) => [s.id, s.is_returning])).toEqual([[sid(1), false], [sid(2), true], [sid(3), true]]);

    await ingestBatch(db(), { events: [{ id: eid(1), session_id: sid(2), type: "add_to_cart", occurred_at: "2026-03-05T10:02:00Z" }] });
    await ingestBatch(db(), { events: [{ id: eid(2), session_id: sid(2), type: "page_view", occurred_at: "2026-03-05T10:00:00Z" }] });
    const s2 = (await sessionRows())[1];
    // 2 events, 1 page view, add_to_cart = 2, last event the earlier-sent 10:02.
    expect([s2.event_count, s2.page_views, s2.funnel_step, s2.last_event_at]).toEqual([2, 1, 2, "2026-03-05T10:02:00"]);
  });

  it("a refund in a later batch un-converts the session and removes the customer", async () => {
    await setup();
    await ingestBatch(db(), fixture());
    const r = await ingestBatch(db(), { orders: [{ order_id: "o1", total: 250.5, status: "refunded", placed_at: "2026-03-05T09:00:00Z" }] });
    expect(r).toEqual({ sessions: 0, events: 0, orders: 1 });
    const s2 = (await sessionRows())[1];
    expect([s2.paid_orders, s2.revenue]).toEqual([0, 0]);
    expect((await counts()).c).toBe(0);
  });

  it("updating a session's attributes updates its customers' acquisition dimensions", async () => {
    await setup();
    await ingestBatch(db(), fixture());
    const moved = fixture().sessions[1];
    await ingestBatch(db(), { sessions: [{ ...moved, utm_source: "Instagram" }] });
    const [c] = await rows<{ utm_source: string }>(db(), sql`SELECT utm_source FROM customers`);
    expect(c.utm_source).toBe("instagram");
  });

  it("drops bot sessions and their events", async () => {
    await setup();
    const r = await send({
      sessions: [
        { id: sid(1), visitor_id: "bot", started_at: "2026-03-01T10:00:00Z", user_agent: "Googlebot/2.1 (+http://www.google.com/bot.html)" },
        { id: sid(2), visitor_id: "human", started_at: "2026-03-01T10:00:00Z", user_agent: CHROME_UA },
      ],
      events: [
        { id: eid(1), session_id: sid(1), type: "page_view", occurred_at: "2026-03-01T10:00:00Z" },
        { id: eid(2), session_id: sid(2), type: "page_view", occurred_at: "2026-03-01T10:00:00Z" },
      ],
    });
    expect(r.body).toEqual({ sessions: 1, events: 1, orders: 0 });
    expect(await counts()).toEqual({ s: 1, e: 1, o: 0, c: 0 });
  });

  it("rejects a batch with bad records: one issue per bad field, nothing stored", async () => {
    await setup();
    const body = fixture() as { sessions: unknown[]; events: unknown[]; orders: unknown[] };
    body.events[1] = { id: eid(2), session_id: sid(1), type: "refund_request", occurred_at: "2026-03-01T10:01:00Z" };
    body.sessions.push({ id: "nope", visitor_id: "", started_at: "yesterday", device: "fridge", country: "Ukraine", utm_source: 5 });
    body.orders.push({ order_id: "o2", total: -5, currency: "EURO" }); // no ISO 4217 code (SPEC 17.5)
    const r = await send(body);
    expect(r.status).toBe(400);
    const issues = (r.body as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual([
      "events[1].type",
      "orders[1].currency",
      "orders[1].total",
      "sessions[2].country",
      "sessions[2].device",
      "sessions[2].id",
      "sessions[2].started_at",
      "sessions[2].utm_source",
      "sessions[2].visitor_id",
    ]);
    expect(issues.find((i) => i.path === "events[1].type")!.message).toMatch(/page_view/);
    expect(await counts()).toEqual({ s: 0, e: 0, o: 0, c: 0 });
  });

  it("skips events of unknown sessions (a bot's events sent in a later batch than its session)", async () => {
    await setup();
    await ingestBatch(db(), {
      sessions: [{ id: sid(50), visitor_id: "bot", started_at: "2026-03-01T10:00:00Z", user_agent: "Googlebot/2.1 (+http://www.google.com/bot.html)" }],
    });
    const body = fixture();
    body.events.push({ id: eid(9), session_id: sid(77), type: "page_view", occurred_at: "2026-03-01T10:00:00Z" });
    const r = await send({ ...body, events: [...body.events, { id: eid(8), session_id: sid(50), type: "page_view", occurred_at: "2026-03-01T10:00:00Z" }] });
    // The fixture's 5 events are stored; the two whose session does not exist are not.
    expect(r).toMatchObject({ status: 200, body: { sessions: 2, events: 5, orders: 1 } });
    expect(await counts()).toEqual({ s: 2, e: 5, o: 1, c: 1 });
  });

  it("limits: more than 10,000 records → 400, a body over 20 MB → 413, not JSON → 400", async () => {
    await setup();
    const many = {
      sessions: Array.from({ length: 6000 }, (_, i) => ({ id: sid(i + 1), visitor_id: "v", started_at: "2026-03-01T10:00:00Z" })),
      orders: Array.from({ length: 4001 }, (_, i) => ({ order_id: `o${i}`, total: 1 })),
    };
    const r = await send(many);
    expect(r.status).toBe(400);
    expect((r.body as { error: string }).error).toMatch(/10000/);
    const huge = `{"sessions":[],"pad":"${"x".repeat(20 * 1024 * 1024)}"}`;
    expect((await call(post, "/api/ingest/batch", { raw: huge, headers: { authorization: `Bearer ${token}` } })).status).toBe(413);
    expect((await call(post, "/api/ingest/batch", { raw: "[", headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    for (const body of [[], "x", { sessions: "nope" }, { events: [null] }]) expect((await send(body)).status).toBe(400);
    expect(await counts()).toEqual({ s: 0, e: 0, o: 0, c: 0 });
  });

  it("needs a token with the ingest scope", async () => {
    await setup();
    const read = (await createApiToken(db(), { name: "r", scopes: ["read"] })).token;
    expect((await send(fixture(), null)).status).toBe(401);
    expect((await send(fixture(), read)).status).toBe(403);
  });
});
