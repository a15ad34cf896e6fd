import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST as postOrders } from "@/app/api/ingest/orders/route";
import { POST as postRefunds } from "@/app/api/ingest/refunds/route";
import { POST as postBatch } from "@/app/api/ingest/batch/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { ingestRefunds } from "@/lib/ingest/refunds";
import { describeDb } from "../helpers/db";
import { call, sid, type Handler } from "../helpers/ingest";

/** SPEC 17.5: orders in full (items, discount, shipping, tax, contacts, landing) and refunds. */

const T = Date.parse("2026-03-31T12:00:00Z");
const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

type RefundAnswer = { refunds: { refund_id: string; order_id: string; created: boolean; changed: boolean }[] };

describeDb("orders in full and POST /api/ingest/refunds", (ctx) => {
  const db = () => ctx.handle.db;
  let token = "";
  const auth = () => ({ authorization: `Bearer ${token}` });
  const setup = async () => {
    token = (await createApiToken(db(), { name: "shop", scopes: ["ingest"] })).token;
    await db()
      .insert(sessions)
      .values({ id: sid(1), visitorId: "v1", startedAt: new Date(T - 3600_000), lastEventAt: new Date(T - 3600_000), utmSource: "google" });
  };
  const order = (extra: Record<string, unknown> = {}) => ({
    order_id: "o1",
    visitor_id: "v1",
    total: 100,
    placed_at: new Date(T).toISOString(),
    ...extra,
  });
  const sendOrders = (body: unknown) => call(postOrders as unknown as Handler, "/api/ingest/orders", { body, headers: auth() });
  const sendRefunds = (body: unknown, headers: Record<string, string> = auth()) =>
    call(postRefunds as unknown as Handler, "/api/ingest/refunds", { body, headers });
  const sessionFacts = async () =>
    (await rows<{ revenue: number; refunded: number }>(db(), sql`SELECT revenue::float8 AS revenue, refunded::float8 AS refunded FROM sessions WHERE id = ${sid(1)}`))[0];
  const customerFacts = async () =>
    rows<{ customer_id: string; revenue: number; refunded: number }>(
      db(),
      sql`SELECT customer_id, revenue::float8 AS revenue, refunded::float8 AS refunded FROM customers ORDER BY customer_id`,
    );
  const refundRows = async () =>
    rows<{ refund_id: string; order_id: string; amount: number; refunded_at: string; reason: string | null; updated_at: string }>(
      db(),
      sql`SELECT refund_id, order_id, amount::float8 AS amount, to_char(refunded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS refunded_at,
                 reason, updated_at::text AS updated_at
          FROM order_refunds ORDER BY refund_id`,
    );

  it("stores subtotal, discount, codes, shipping, tax, line items (count = Σ quantity), landing_url and referrer, and reads them back", async () => {
    await setup();
    const r = await sendOrders(
      order({
        subtotal: 90,
        discount: 10.5,
        discount_codes: [" SPRING ", "VIP"],
        shipping: 15.25,
        tax: 5.25,
        items: [
          { sku: "A-1", product_id: "p1", name: "Mug", quantity: 2, price: 20, cost: 8 },
          { sku: "B-2", quantity: 3, price: 16.67 },
        ],
        landing_url: "https://shop.example/?utm_source=newsletter",
        referrer: "https://mail.example/",
      }),
    );
    expect(r.status).toBe(200);
    const [o] = await rows<Record<string, unknown>>(
      db(),
      sql`SELECT items, subtotal::float8 AS subtotal, discount::float8 AS discount, discount_codes, shipping::float8 AS shipping,
                 tax::float8 AS tax, landing_url, referrer, email_sha256, phone_sha256 FROM orders WHERE order_id = 'o1'`,
    );
    expect(o).toEqual({
      items: 5, // 2 + 3
      subtotal: 90,
      discount: 10.5,
      discount_codes: ["SPRING", "VIP"],
      shipping: 15.25,
      tax: 5.25,
      landing_url: "https://shop.example/?utm_source=newsletter",
      referrer: "https://mail.example/",
      email_sha256: null,
      phone_sha256: null,
    });
    const lines = await rows(
      db(),
      sql`SELECT position, sku, product_id, name, quantity, price::float8 AS price, cost::float8 AS cost FROM order_items ORDER BY position`,
    );
    expect(lines).toEqual([
      { position: 0, sku: "A-1", product_id: "p1", name: "Mug", quantity: 2, price: 20, cost: 8 },
      { position: 1, sku: "B-2", product_id: null, name: null, quantity: 3, price: 16.67, cost: null },
    ]);
    // Sent again with one line and no discount: the lines are replaced, the discount kept.
    await sendOrders(order({ items: [{ sku: "C-3", quantity: 1 }] }));
    expect(await rows(db(), sql`SELECT sku, quantity FROM order_items`)).toEqual([{ sku: "C-3", quantity: 1 }]);
    expect(await rows(db(), sql`SELECT items, discount::float8 AS discount FROM orders`)).toEqual([{ items: 1, discount: 10.5 }]);
    // An integer count alone keeps the stored lines.
    await sendOrders(order({ items: 4 }));
    expect(await rows(db(), sql`SELECT items FROM orders`)).toEqual([{ items: 4 }]);
    expect(await rows(db(), sql`SELECT sku FROM order_items`)).toEqual([{ sku: "C-3" }]);
  });

  it("keeps e-mail and phone only as SHA-256 of their normal form: the plain values are nowhere in the database", async () => {
    await setup();
    const email = "  Jane.Doe@Example.COM ";
    const phone = "+38 (050) 123-45-67";
    expect((await sendOrders(order({ email, phone }))).status).toBe(200);
    const [o] = await rows<{ email_sha256: string; phone_sha256: string; whole: string }>(
      db(),
      sql`SELECT email_sha256, phone_sha256, row_to_json(orders)::text AS whole FROM orders`,
    );
    expect(o.email_sha256).toBe(sha("jane.doe@example.com"));
    expect(o.phone_sha256).toBe(sha("380501234567"));
    // No column of any table holds the address or the number (not even normalised).
    const dump = await rows<{ t: string }>(
      db(),
      sql`SELECT (SELECT coalesce(json_agg(o), '[]')::text FROM orders o) || (SELECT coalesce(json_agg(c), '[]')::text FROM customers c) AS t`,
    );
    for (const plain of ["jane.doe", "Jane.Doe", "example.com", "Example.COM", "380501234567", "123-45-67"]) expect(dump[0].t).not.toContain(plain);
    // A bad address is refused, and the message does not repeat it.
    const bad = await sendOrders(order({ order_id: "o2", email: "secret-not-an-address" }));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: "Invalid order", issues: [{ path: "email", message: "must be an e-mail address" }] });
    expect(JSON.stringify(bad.body)).not.toContain("secret");
  });

  it("validates every new field with an issue naming it (items[1].quantity, refunds[0].amount, discount_codes[0])", async () => {
    await setup();
    const r = await sendOrders([
      order({ items: [{ quantity: 1 }, { quantity: 1.5, price: -1 }] }),
      order({ order_id: "o2", discount_codes: [5], shipping: "x", refunds: [{ refund_id: "r1", amount: "10" }], phone: "12" }),
      order({ order_id: "o3", refunds: [{ refund_id: "r1", amount: 60 }, { refund_id: "r2", amount: 50 }] }),
      order({ order_id: "o4", landing_url: "x".repeat(4097), items: "many" }),
    ]);
    expect(r.status).toBe(400);
    expect((r.body as { issues: { path: string; message: string }[] }).issues).toEqual([
      { path: "[0].items[1].quantity", message: "must be an integer" },
      { path: "[0].items[1].price", message: "must be at least 0" },
      { path: "[1].discount_codes[0]", message: "must be a string" },
      { path: "[1].shipping", message: "must be a number" },
      { path: "[1].refunds[0].amount", message: "must be a number" },
      { path: "[1].phone", message: "must be a phone number with its country code" },
      // 60 + 50 = 110 > 100
      { path: "[2].refunds", message: "add up to more than the order's total" },
      { path: "[3].items", message: "must be an integer count or an array of line items" },
      { path: "[3].landing_url", message: "must be at most 4096 characters" },
    ]);
    expect(await rows(db(), sql`SELECT order_id FROM orders`)).toEqual([]);
  });

  it("refunds are idempotent by refund_id: the same one again changes nothing, a changed amount updates it; facts follow", async () => {
    await setup();
    await sendOrders(order({ session_id: sid(1), refunds: [{ refund_id: "r1", amount: 10, refunded_at: "2026-04-01T10:00:00Z" }] }));
    expect(await sessionFacts()).toEqual({ revenue: 100, refunded: 10 });
    const one = { order_id: "o1", refund_id: "r2", amount: 25.5, refunded_at: "2026-04-02T10:00:00+02:00", reason: "damaged" };
    const first = await sendRefunds(one);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ refunds: [{ refund_id: "r2", order_id: "o1", created: true, changed: true }] });
    const before = await refundRows();
    expect(before.map(({ updated_at: _u, ...r }) => r)).toEqual([
      { refund_id: "r1", order_id: "o1", amount: 10, refunded_at: "2026-04-01T10:00:00Z", reason: null },
      { refund_id: "r2", order_id: "o1", amount: 25.5, refunded_at: "2026-04-02T08:00:00Z", reason: "damaged" },
    ]);
    expect(await sessionFacts()).toEqual({ revenue: 100, refunded: 35.5 }); // 10 + 25.5
    // The same refund again: nothing changes, not even updated_at.
    const again = await sendRefunds([one]);
    expect(again.body).toEqual({ refunds: [{ refund_id: "r2", order_id: "o1", created: false, changed: false }] });
    expect(await refundRows()).toEqual(before);
    // Without refunded_at, a known refund keeps its date.
    await sendRefunds({ order_id: "o1", refund_id: "r2", amount: 30 });
    const after = await refundRows();
    expect(after[1]).toMatchObject({ amount: 30, refunded_at: "2026-04-02T08:00:00Z", reason: "damaged" });
    expect(await sessionFacts()).toEqual({ revenue: 100, refunded: 40 }); // 10 + 30
    expect(await customerFacts()).toEqual([{ customer_id: "visitor:v1", revenue: 100, refunded: 40 }]);
    // Re-sending the order with its embedded refund changes nothing either.
    await sendOrders(order({ session_id: sid(1), refunds: [{ refund_id: "r1", amount: 10, refunded_at: "2026-04-01T10:00:00Z" }] }));
    expect((await refundRows()).length).toBe(2);
    expect(await sessionFacts()).toEqual({ revenue: 100, refunded: 40 });
    // A refund of an order that no longer counts (refunded status) counts nowhere.
    await sendOrders(order({ session_id: sid(1), status: "refunded" }));
    expect(await sessionFacts()).toEqual({ revenue: 0, refunded: 0 });
  });

  it("refuses refunds over the order's total (400), of unknown orders (404 naming them), and a refund_id of another order", async () => {
    await setup();
    await sendOrders([order(), order({ order_id: "o2", total: 20 })]);
    expect((await sendRefunds({ order_id: "o1", refund_id: "r1", amount: 70 })).status).toBe(200);
    const over = await sendRefunds({ order_id: "o1", refund_id: "r2", amount: 30.01 }); // 70 + 30.01 > 100
    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      error: "Refunds may not add up to more than the order's total",
      issues: [{ path: "amount", message: "the order's refunds would add up to more than its total" }],
    });
    expect((await sendRefunds({ order_id: "o1", refund_id: "r2", amount: 30 })).status).toBe(200); // exactly 100
    const unknown = await sendRefunds([{ order_id: "o2", refund_id: "r3", amount: 1 }, { order_id: "nope", refund_id: "r4", amount: 1 }]);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: "Unknown order: send the order before its refunds",
      issues: [{ path: "[1].order_id", message: "no order with this order_id" }],
    });
    const moved = await sendRefunds({ order_id: "o2", refund_id: "r1", amount: 1 });
    expect(moved.status).toBe(400);
    expect(moved.body).toMatchObject({ issues: [{ path: "refund_id", message: "belongs to another order" }] });
    // Nothing of the refused requests was stored.
    expect((await refundRows()).map((r) => [r.refund_id, r.order_id, r.amount])).toEqual([
      ["r1", "o1", 70],
      ["r2", "o1", 30],
    ]);
    // The domain function says the same to a webhook caller.
    await expect(ingestRefunds(db(), { order_id: "nope", refund_id: "r9", amount: 1 })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses bad input: wrong types, NUL, huge strings and bodies, missing token, wrong scope", async () => {
    await setup();
    await sendOrders(order());
    const noToken = await sendRefunds({ order_id: "o1", refund_id: "r1", amount: 1 }, {});
    expect(noToken.status).toBe(401);
    const reader = (await createApiToken(db(), { name: "reader", scopes: ["read"] })).token;
    const wrongScope = await sendRefunds({ order_id: "o1", refund_id: "r1", amount: 1 }, { authorization: `Bearer ${reader}` });
    expect(wrongScope.status).toBe(403);
    const bad = await sendRefunds([
      { order_id: 5, refund_id: "", amount: -1, refunded_at: "yesterday", reason: 3 },
      { order_id: "o1", refund_id: "x".repeat(129), amount: Infinity },
      { order_id: "o1", refund_id: "r1", amount: 1e10, reason: "y".repeat(501) },
      "refund",
    ]);
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      "[0].refund_id",
      "[0].amount",
      "[0].refunded_at",
      "[0].order_id",
      "[0].reason",
      "[1].refund_id",
      "[1].amount",
      "[2].amount",
      "[2].reason",
      "[3]",
    ]);
    expect((await sendRefunds("refund")).status).toBe(400);
    expect((await sendRefunds([])).body).toEqual({ refunds: [] });
    const tooMany = await sendRefunds(Array.from({ length: 1001 }, (_, i) => ({ order_id: "o1", refund_id: `r${i}`, amount: 0 })));
    expect(tooMany.status).toBe(400);
    const huge = await call(postRefunds as unknown as Handler, "/api/ingest/refunds", { raw: `"${"x".repeat(1024 * 1024)}"`, headers: auth() });
    expect(huge.status).toBe(413);
    // NUL is refused (SPEC 21), naming each field, and nothing is stored.
    const nul = await sendRefunds({ order_id: "o\u00001", refund_id: "r\u00001", amount: 5, reason: "a\u0000b" });
    expect(nul.status).toBe(400);
    expect((nul.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(["order_id", "refund_id", "reason"]);
    expect(await refundRows()).toEqual([]);
  });

  it("the batch path stores the order in full and its refunds the same way", async () => {
    await setup();
    const r = await call(postBatch as unknown as Handler, "/api/ingest/batch", {
      body: {
        orders: [
          order({ session_id: sid(1), tax: 2, items: [{ sku: "A", quantity: 2 }], refunds: [{ refund_id: "b1", amount: 12.34, refunded_at: "2026-04-03T00:00:00Z" }] }),
        ],
      },
      headers: auth(),
    });
    expect(r.status).toBe(200);
    expect(await rows(db(), sql`SELECT items, tax::float8 AS tax FROM orders`)).toEqual([{ items: 2, tax: 2 }]);
    expect((await refundRows()).map((x) => [x.refund_id, x.amount])).toEqual([["b1", 12.34]]);
    expect(await sessionFacts()).toEqual({ revenue: 100, refunded: 12.34 });
    const bad = await call(postBatch as unknown as Handler, "/api/ingest/batch", {
      body: { orders: [order({ items: [{ quantity: 1 }, { quantity: 1 }, { quantity: -2 }] })] },
      headers: auth(),
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues).toEqual([{ path: "orders[0].items[2].quantity", message: "must be at least 0" }]);
  });
});
