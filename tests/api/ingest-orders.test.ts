import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST } from "@/app/api/ingest/orders/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { describeDb } from "../helpers/db";
import { call, sid, type Handler } from "../helpers/ingest";

const post = POST as unknown as Handler;
const T = Date.parse("2026-03-31T12:00:00Z");
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms);

type Answer = { orders: { order_id: string; session_id: string | null; utm_source: string | null; created: boolean }[] };

describeDb("POST /api/ingest/orders", (ctx) => {
  const db = () => ctx.handle.db;
  let token = "";
  const send = async (body: unknown, auth: string | null = token) =>
    call(post, "/api/ingest/orders", { body, headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const session = (n: number, visitor: string, startedMs: number, utmSource = "(direct)") =>
    db()
      .insert(sessions)
      .values({ id: sid(n), visitorId: visitor, startedAt: at(startedMs), lastEventAt: at(startedMs), utmSource });
  const order = (extra: Record<string, unknown> = {}) => ({
    order_id: "o1",
    visitor_id: "v1",
    total: 100,
    placed_at: new Date(T).toISOString(),
    ...extra,
  });
  it("reads the body with its 2 MB limit before parsing: 413 past it, 415 for another media type, 400 for broken JSON; nothing stored", async () => {
    token = (await createApiToken(db(), { name: "shop", scopes: ["ingest"] })).token;
    // 2 MB + 1 byte of a JSON string: refused by size, never parsed.
    const big = await call(post, "/api/ingest/orders", { raw: `"${"x".repeat(2 * 1024 * 1024 - 1)}"`, headers: { authorization: `Bearer ${token}` } });
    expect(big.status).toBe(413);
    const xml = await call(post, "/api/ingest/orders", { raw: "<order/>", headers: { authorization: `Bearer ${token}`, "content-type": "application/xml" } });
    expect(xml.status).toBe(415);
    const broken = await call(post, "/api/ingest/orders", { raw: '{"order_id": "o1",', headers: { authorization: `Bearer ${token}` } });
    expect(broken.status).toBe(400);
    const n = await db().execute(sql`select count(*)::int as n from orders`);
    expect(((n as unknown as { rows?: { n: number }[] }).rows ?? (n as unknown as { n: number }[]))[0].n).toBe(0);
  });

  const attributed = async (body: unknown) => {
    const r = await send(body);
    expect(r.status).toBe(200);
    return (r.body as Answer).orders;
  };
  const facts = async () =>
    rows<{ id: string; paid_orders: number; revenue: number }>(
      db(),
      sql`SELECT id::text, paid_orders, revenue::float8 AS revenue FROM sessions WHERE paid_orders > 0 ORDER BY id`,
    );
  const customers = async () =>
    rows<{ customer_id: string; first_order_id: string; acquisition_session_id: string | null; utm_source: string; paid_orders: number; revenue: number }>(
      db(),
      sql`SELECT customer_id, first_order_id, acquisition_session_id::text, utm_source, paid_orders, revenue::float8 AS revenue
          FROM customers ORDER BY customer_id`,
    );

  const setup = async () => {
    token = (await createApiToken(db(), { name: "shop", scopes: ["ingest"] })).token;
  };

  it("3.3 branch 1: the session named in the order wins", async () => {
    await setup();
    await session(1, "v1", T - 20 * DAY, "(direct)");
    await session(2, "v1", T - 1 * DAY, "facebook");
    expect(await attributed(order({ session_id: sid(1) }))).toEqual([
      { order_id: "o1", session_id: sid(1), utm_source: "(direct)", created: true },
    ]);
  });

  it("3.3 branch 2: the latest non-direct session started at or before placed_at within the window", async () => {
    await setup();
    await session(1, "v1", T - 10 * DAY, "google");
    await session(2, "v1", T - 5 * DAY, "facebook"); // latest non-direct before placed_at
    await session(3, "v1", T - 1 * DAY, "(direct)"); // later, but direct
    await session(4, "v1", T + 3_600_000, "instagram"); // after placed_at: not a candidate
    await session(5, "v2", T - 1 * DAY, "tiktok"); // another visitor
    expect(await attributed(order())).toEqual([{ order_id: "o1", session_id: sid(2), utm_source: "facebook", created: true }]);
  });

  it("3.3 window: a non-direct session 30 days + 1 s before loses to a direct one inside; exactly 30 days is inside", async () => {
    await setup();
    await session(1, "v1", T - 30 * DAY - 1000, "facebook");
    await session(2, "v1", T - 10 * DAY, "(direct)");
    await session(3, "v9", T - 30 * DAY, "google");
    await session(4, "v9", T - 10 * DAY, "(direct)");
    expect(await attributed([order(), order({ order_id: "o2", visitor_id: "v9" })])).toEqual([
      { order_id: "o1", session_id: sid(2), utm_source: "(direct)", created: true },
      { order_id: "o2", session_id: sid(3), utm_source: "google", created: true },
    ]);
  });

  it("3.3 branch 3: direct fallback, the latest session in the window", async () => {
    await setup();
    await session(1, "v1", T - 3 * DAY, "(direct)");
    await session(2, "v1", T - 1 * DAY, "(direct)");
    await session(3, "v1", T - 40 * DAY, "google"); // outside the window
    expect(await attributed(order())).toEqual([{ order_id: "o1", session_id: sid(2), utm_source: "(direct)", created: true }]);
  });

  it("3.3 branch 4: no visitor (or no session in the window) → unattributed, customer falls back", async () => {
    await setup();
    await session(1, "v1", T - 31 * DAY, "google");
    const got = await attributed([
      { order_id: "anon", total: 10, placed_at: "2026-03-31T12:00:00Z" },
      order({ order_id: "late" }),
    ]);
    expect(got).toEqual([
      { order_id: "anon", session_id: null, utm_source: null, created: true },
      { order_id: "late", session_id: null, utm_source: null, created: true },
    ]);
    const stored = await rows<{ order_id: string; customer_id: string; visitor_id: string | null }>(
      db(),
      sql`SELECT order_id, customer_id, visitor_id FROM orders ORDER BY order_id`,
    );
    // No customer_id: "visitor:" + visitor, else the order's own id.
    expect(stored).toEqual([
      { order_id: "anon", customer_id: "anon", visitor_id: null },
      { order_id: "late", customer_id: "visitor:v1", visitor_id: "v1" },
    ]);
    // Unattributed customers have every acquisition dimension "(none)".
    expect((await customers()).map((c) => [c.customer_id, c.acquisition_session_id, c.utm_source])).toEqual([
      ["anon", null, "(none)"],
      ["visitor:v1", null, "(none)"],
    ]);
  });

  it("takes a missing visitor_id from the named session; an unknown named session falls back to the visitor", async () => {
    await setup();
    await session(1, "v1", T - 2 * DAY, "newsletter");
    await session(2, "v2", T - 2 * DAY, "google");
    const got = await attributed([
      { order_id: "a", session_id: sid(1), total: 5, placed_at: "2026-03-31T12:00:00Z" },
      { order_id: "b", session_id: sid(99), visitor_id: "v2", total: 5, placed_at: "2026-03-31T12:00:00Z" },
    ]);
    expect(got.map((o) => [o.order_id, o.session_id])).toEqual([
      ["a", sid(1)],
      ["b", sid(2)],
    ]);
    const stored = await rows<{ customer_id: string; visitor_id: string }>(db(), sql`SELECT customer_id, visitor_id FROM orders ORDER BY order_id`);
    expect(stored).toEqual([
      { customer_id: "visitor:v1", visitor_id: "v1" },
      { customer_id: "visitor:v2", visitor_id: "v2" },
    ]);
  });

  it("fixes attribution when first stored: an update changes status/total only; a refund un-converts", async () => {
    await setup();
    await session(1, "v1", T - 5 * DAY, "facebook");
    expect(await attributed(order({ customer_id: "c1", total: 100 }))).toEqual([
      { order_id: "o1", session_id: sid(1), utm_source: "facebook", created: true },
    ]);
    await attributed(order({ order_id: "o2", customer_id: "c1", total: 50, placed_at: new Date(T + DAY).toISOString() }));
    // Session 1 converted twice: 100 + 50 = 150; customer c1 first order o1 from facebook.
    expect(await facts()).toEqual([{ id: sid(1), paid_orders: 2, revenue: 150 }]);
    expect(await customers()).toEqual([
      { customer_id: "c1", first_order_id: "o1", acquisition_session_id: sid(1), utm_source: "facebook", paid_orders: 2, revenue: 150 },
    ]);

    // A better candidate appears later; re-posting o1 must not move it.
    await session(2, "v1", T - 1 * DAY, "google");
    expect(await attributed(order({ customer_id: "c1", total: 120, status: "refunded" }))).toEqual([
      { order_id: "o1", session_id: sid(1), utm_source: "facebook", created: false },
    ]);
    // o1 refunded: session 1 keeps o2 only (1 order, 50); c1's first paid order is now o2.
    expect(await facts()).toEqual([{ id: sid(1), paid_orders: 1, revenue: 50 }]);
    expect((await customers()).map((c) => [c.first_order_id, c.paid_orders, c.revenue])).toEqual([["o2", 1, 50]]);

    // Refund o2 as well: no paid order left → session un-converted, customer row gone.
    await attributed(order({ order_id: "o2", customer_id: "c1", total: 50, status: "refunded", placed_at: new Date(T + DAY).toISOString() }));
    expect(await facts()).toEqual([]);
    expect(await customers()).toEqual([]);
    const [o] = await rows<{ total: number; status: string; n: number }>(
      db(),
      sql`SELECT max(total)::float8 AS total, min(status) AS status, count(*)::int AS n FROM orders`,
    );
    expect(o).toEqual({ total: 120, status: "refunded", n: 2 });
  });

  it("20 concurrent identical posts store one order, created true exactly once", async () => {
    await setup();
    await session(1, "v1", T - DAY, "facebook");
    const results = await Promise.all(Array.from({ length: 20 }, () => send(order())));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const created = results.map((r) => (r.body as Answer).orders[0].created).filter(Boolean);
    expect(created).toEqual([true]);
    expect(await facts()).toEqual([{ id: sid(1), paid_orders: 1, revenue: 100 }]);
    expect((await customers()).map((c) => [c.customer_id, c.paid_orders, c.revenue])).toEqual([["visitor:v1", 1, 100]]);
  });

  it("concurrent different orders of one customer and session add up", async () => {
    await setup();
    await session(1, "v1", T - DAY, "facebook");
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(order({ order_id: `o${i}`, customer_id: "c", total: 10 }))));
    // 10 orders × 10 = 100 on both the session and the customer.
    expect(await facts()).toEqual([{ id: sid(1), paid_orders: 10, revenue: 100 }]);
    expect((await customers()).map((c) => [c.paid_orders, c.revenue])).toEqual([[10, 100]]);
  });

  it("defaults: status paid, placed_at now", async () => {
    await setup();
    const before = Date.now();
    await attributed({ order_id: "x", total: 1 });
    const [o] = await rows<{ status: string; placed: number }>(
      db(),
      sql`SELECT status, (extract(epoch FROM placed_at) * 1000)::float8 AS placed FROM orders`,
    );
    expect(o.status).toBe("paid");
    expect(o.placed).toBeGreaterThanOrEqual(before - 1000);
    expect(o.placed).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("refuses bad input with 400 and one issue per bad field, storing nothing", async () => {
    await setup();
    const r = await send([
      { order_id: "ok", total: 1 },
      {
        order_id: "x".repeat(129),
        total: -1,
        currency: "ZZZ", // SPEC 17.5: any ISO 4217 code is fine, this is none
        status: "shipped",
        placed_at: "2026-03-31 12:00",
        items: 1.5,
        session_id: "not-a-uuid",
        customer_id: "c".repeat(201),
        visitor_id: "v".repeat(65),
      },
    ]);
    expect(r.status).toBe(400);
    const paths = (r.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(paths).toEqual([
      "[1].currency",
      "[1].customer_id",
      "[1].items",
      "[1].order_id",
      "[1].placed_at",
      "[1].session_id",
      "[1].status",
      "[1].total",
      "[1].visitor_id",
    ]);
    const single = await send({ order_id: "y", total: "12" });
    expect([single.status, (single.body as { issues: { path: string }[] }).issues.map((i) => i.path)]).toEqual([400, ["total"]]);
    for (const body of [null, 42, "order", [1, 2], {}, Array.from({ length: 1001 }, (_, i) => ({ order_id: `o${i}`, total: 1 }))]) {
      expect((await send(body)).status).toBe(400);
    }
    expect((await call(post, "/api/ingest/orders", { raw: "{", headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    const [n] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM orders`);
    expect(n.n).toBe(0);
  });

  it("accepts the currency in any case when it is the reporting currency", async () => {
    await setup();
    expect((await send({ order_id: "u", total: 1, currency: "uah" })).status).toBe(200);
  });

  it("SPEC 17.5: an order in another ISO 4217 currency is stored as sent and awaits a rate (total NULL)", async () => {
    await setup();
    expect((await send({ order_id: "usd-1", total: 19.99, currency: "usd" })).status).toBe(200);
    expect(await rows(db(), sql`SELECT currency, total_original::float8 AS sent, total, fx_rate FROM orders WHERE order_id = 'usd-1'`)).toEqual([
      { currency: "USD", sent: 19.99, total: null, fx_rate: null },
    ]);
  });

  it("needs a token with the ingest scope: none → 401, wrong scope → 403, revoked-looking → 401", async () => {
    await setup();
    const readOnly = (await createApiToken(db(), { name: "dash", scopes: ["read"] })).token;
    expect((await send(order(), null)).status).toBe(401);
    expect((await send(order(), readOnly)).status).toBe(403);
    expect((await send(order(), "utmd_notatoken")).status).toBe(401);
  });
});
