import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST as collectPost } from "@/app/api/collect/route";
import { POST as ordersPost } from "@/app/api/ingest/orders/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { eraseVisitor } from "@/lib/ingest/erase";
import { describeDb } from "../helpers/db";
import { call, eid, sid, type Handler } from "../helpers/ingest";

/**
 * SPEC 17.1: a browser `purchase` event links the shop's order id to its session (order_links);
 * the order is then attributed to that session as if it had named it, whichever arrives first.
 * `checkout` is the pixel's name for checkout_start. Through the real routes: collect, then the
 * orders upsert.
 */

const collect = collectPost as unknown as Handler;
const orders = ordersPost as unknown as Handler;

let n = 0;
const ev = (session: number, visitor: string, extra: Record<string, unknown> = {}) => ({
  event_id: eid(++n),
  visitor_id: visitor,
  session_id: sid(session),
  type: "page_view",
  url: "https://shop.example/?utm_source=newsletter&utm_medium=email",
  ...extra,
});

type Issues = { error: string; issues: { path: string; message: string }[] };
type OrderAnswer = { orders: { order_id: string; session_id: string | null; utm_source: string | null; created: boolean }[] };

describeDb("purchase events link orders to sessions (SPEC 17.1)", (ctx) => {
  const db = () => ctx.handle.db;
  const send = (body: unknown, headers: Record<string, string> = {}) => call(collect, "/api/collect", { body, headers });
  const postOrders = async (body: unknown) => {
    const { token } = await createApiToken(db(), { name: "shop", scopes: ["ingest"] });
    const r = await call(orders, "/api/ingest/orders", { body, headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    return (r.body as OrderAnswer).orders;
  };
  const links = () => rows<{ order_id: string; session_id: string }>(db(), sql`SELECT order_id, session_id::text FROM order_links ORDER BY order_id`);
  const order = async (id: string) =>
    (
      await rows<{ session_id: string | null; session_named: boolean; visitor_id: string | null; customer_id: string }>(
        db(),
        sql`SELECT session_id::text, session_named, visitor_id, customer_id FROM orders WHERE order_id = ${id}`,
      )
    )[0];
  const sessionFacts = async (s: number) =>
    (
      await rows<{ paid_orders: number; revenue: number; funnel_step: number; event_count: number }>(
        db(),
        sql`SELECT paid_orders, revenue::float8 AS revenue, funnel_step::int AS funnel_step, event_count FROM sessions WHERE id = ${sid(s)}::uuid`,
      )
    )[0];
  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(db(), q))[0].n;

  it("a pixel purchase, then the order with no session: attributed to the pixel's session, counted once", async () => {
    expect((await send(ev(1, "v1"))).status).toBe(202);
    expect((await send(ev(1, "v1", { type: "checkout", url: "https://shop.example/checkouts/cn/abc" }))).status).toBe(202);
    expect((await send(ev(1, "v1", { type: "purchase", order_id: " 1001 ", properties: { value: 250, currency: "UAH" } }))).status).toBe(202);
    // `checkout` is stored as checkout_start (funnel step 3); `purchase` is an event but no step.
    const types = await rows<{ type: string }>(db(), sql`SELECT type FROM events ORDER BY occurred_at, type`);
    expect(types.map((t) => t.type).sort()).toEqual(["checkout_start", "page_view", "purchase"]);
    expect(await links()).toEqual([{ order_id: "1001", session_id: sid(1) }]);
    // No order yet: the session is not converted.
    expect(await sessionFacts(1)).toEqual({ paid_orders: 0, revenue: 0, funnel_step: 3, event_count: 3 });

    // The shop's backend (or webhook) sends the order without session or visitor.
    const [a] = await postOrders({ order_id: "1001", total: 250 });
    expect(a).toEqual({ order_id: "1001", session_id: sid(1), utm_source: "newsletter", created: true });
    // As if named: session_named, the session's visitor, and the visitor:<id> customer (SPEC 2.3).
    expect(await order("1001")).toEqual({ session_id: sid(1), session_named: true, visitor_id: "v1", customer_id: "visitor:v1" });
    expect(await sessionFacts(1)).toEqual({ paid_orders: 1, revenue: 250, funnel_step: 3, event_count: 3 });

    // Sent again (an update), and the purchase event repeated from another session: still one
    // order, one conversion, the first link.
    const [again] = await postOrders({ order_id: "1001", total: 250 });
    expect(again.created).toBe(false);
    expect((await send(ev(2, "v2", { type: "purchase", order_id: "1001" }))).status).toBe(202);
    expect(await links()).toEqual([{ order_id: "1001", session_id: sid(1) }]);
    expect(await count(sql`SELECT count(*)::int AS n FROM orders`)).toBe(1);
    expect(await count(sql`SELECT sum(paid_orders)::int AS n FROM sessions`)).toBe(1);
    expect(await sessionFacts(2)).toEqual({ paid_orders: 0, revenue: 0, funnel_step: 0, event_count: 1 });
    const cust = await rows<{ customer_id: string; acquisition_session_id: string; utm_source: string; paid_orders: number }>(
      db(),
      sql`SELECT customer_id, acquisition_session_id::text, utm_source, paid_orders FROM customers`,
    );
    expect(cust).toEqual([{ customer_id: "visitor:v1", acquisition_session_id: sid(1), utm_source: "newsletter", paid_orders: 1 }]);
  });

  it("the order first, then the purchase event: an unattributed order is attached; an attributed one keeps its session", async () => {
    // 2002: no session, no visitor → stored unattributed, its own id as customer.
    const [first] = await postOrders({ order_id: "2002", total: 80 });
    expect(first.session_id).toBeNull();
    expect(await order("2002")).toEqual({ session_id: null, session_named: false, visitor_id: null, customer_id: "2002" });
    expect((await send(ev(3, "v3", { type: "purchase", order_id: "2002" }))).status).toBe(202);
    expect(await order("2002")).toEqual({ session_id: sid(3), session_named: true, visitor_id: "v3", customer_id: "visitor:v3" });
    expect(await sessionFacts(3)).toEqual({ paid_orders: 1, revenue: 80, funnel_step: 0, event_count: 1 });
    // The customer moved from "2002" to "visitor:v3", acquired by session 3.
    const cust = await rows<{ customer_id: string; acquisition_session_id: string }>(db(), sql`SELECT customer_id, acquisition_session_id::text FROM customers`);
    expect(cust).toEqual([{ customer_id: "visitor:v3", acquisition_session_id: sid(3) }]);

    // 3003 names its session 5 (an existing one); a purchase event from session 6 links but
    // does not move it: attribution is fixed when the order is first stored.
    expect((await send(ev(5, "v5"))).status).toBe(202);
    const [named] = await postOrders({ order_id: "3003", session_id: sid(5), total: 40, customer_id: "c5" });
    expect(named.session_id).toBe(sid(5));
    expect((await send(ev(6, "v6", { type: "purchase", order_id: "3003" }))).status).toBe(202);
    expect(await order("3003")).toEqual({ session_id: sid(5), session_named: true, visitor_id: "v5", customer_id: "c5" });
    expect(await sessionFacts(6)).toEqual({ paid_orders: 0, revenue: 0, funnel_step: 0, event_count: 1 });
    expect(await links()).toEqual([
      { order_id: "2002", session_id: sid(3) },
      { order_id: "3003", session_id: sid(6) },
    ]);
  });

  it("an order naming a session that does not exist takes the linked one", async () => {
    expect((await send(ev(7, "v7", { type: "purchase", order_id: "4004" }))).status).toBe(202);
    const [a] = await postOrders({ order_id: "4004", session_id: sid(99), total: 10 });
    expect(a.session_id).toBe(sid(7));
  });

  it("rejects bad order ids and misplaced ones with 400 naming the field; nothing is stored", async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ type: "purchase" }, "is required for purchase events"],
      [{ type: "purchase", order_id: 1001 }, "must be a string"],
      [{ type: "purchase", order_id: "   " }, "must not be empty"],
      [{ type: "purchase", order_id: "x".repeat(129) }, "must be at most 128 characters"],
      [{ type: "purchase", order_id: "10\u000101" }, "must not contain control characters"],
      [{ type: "purchase", order_id: ["1001"] }, "must be a string"],
      [{ type: "page_view", order_id: "1001" }, "is only allowed on purchase events"],
      [{ type: "checkout", order_id: "1001" }, "is only allowed on purchase events"],
    ];
    for (const [extra, message] of bad) {
      const r = await send(ev(8, "v8", extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect((r.body as Issues).issues).toEqual([{ path: "order_id", message }]);
    }
    // 128 characters exactly is fine.
    expect((await send(ev(8, "v8", { type: "purchase", order_id: "y".repeat(128) }))).status).toBe(202);
    // Unknown types still answer on `type`; the list names purchase.
    const t = await send(ev(8, "v8", { type: "checkout_started" }));
    expect(t.status).toBe(400);
    expect((t.body as Issues).issues).toEqual([{ path: "type", message: "must be one of page_view, product_view, add_to_cart, checkout_start, purchase, custom" }]);
    // A body over 16 KB: 413 before parsing.
    expect((await send(ev(8, "v8", { type: "purchase", order_id: "z".repeat(17_000) }))).status).toBe(413);
    expect(await count(sql`SELECT count(*)::int AS n FROM events`)).toBe(1);
    expect(await links()).toEqual([{ order_id: "y".repeat(128), session_id: sid(8) }]);
  });

  it("erasing the visitor removes their links: a later order is no longer tied to them", async () => {
    expect((await send(ev(10, "v10", { type: "purchase", order_id: "6006" }))).status).toBe(202);
    expect((await send(ev(11, "v11", { type: "purchase", order_id: "7007" }))).status).toBe(202);
    await eraseVisitor(db(), "v10");
    expect(await links()).toEqual([{ order_id: "7007", session_id: sid(11) }]);
    const [a] = await postOrders({ order_id: "6006", total: 5 });
    expect(a.session_id).toBeNull();
  });

  it("a bot's purchase event links nothing", async () => {
    const r = await send(ev(9, "v9", { type: "purchase", order_id: "5005" }), { "user-agent": "curl/8.5.0" });
    expect(r.status).toBe(202);
    expect(r.headers.get("x-utmd-dropped")).toBe("bot");
    expect(await links()).toEqual([]);
  });
});
