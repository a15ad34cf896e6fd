import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST } from "@/app/api/integrations/shopify/webhooks/route";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { hashEmail } from "@/lib/ingest/contact-hash";
import { webhookHealth } from "@/lib/integrations/deliveries";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";
import { call, sid, type Handler } from "../helpers/ingest";

const post = POST as unknown as Handler;
const SECRET = "shpss_test_secret_0123456789";
const SHOP = "utmd-test.myshopify.com";
const fixture = (name: string) => readFileSync(path.join(__dirname, "../fixtures", name), "utf8");
const ORDER = fixture("shopify-order-create.json");
const REFUND = fixture("shopify-refund-create.json");
const REDACT = fixture("shopify-customers-redact.json");
const sign = (body: string | Buffer, secret = SECRET) => createHmac("sha256", secret).update(body).digest("base64");

let n = 0;
const send = (topic: string, body: string, over: { id?: string; hmac?: string | null; shop?: string; triggeredAt?: string } = {}) => {
  const headers: Record<string, string> = {
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": over.shop ?? SHOP,
    "x-shopify-webhook-id": over.id ?? `b54557e4-${++n}`,
    "x-shopify-event-id": `98880550-7158-44d4-b7cd-2c97c8a091b${n % 10}`,
    "x-shopify-triggered-at": over.triggeredAt ?? "2026-03-10T13:15:48.123Z",
    "x-shopify-api-version": "2025-10",
  };
  const hmac = over.hmac === undefined ? sign(body) : over.hmac;
  if (hmac !== null) headers["x-shopify-hmac-sha256"] = hmac;
  return call(post, "/api/integrations/shopify/webhooks", { raw: body, headers });
};

describeDb("POST /api/integrations/shopify/webhooks", (ctx) => {
  const db = () => ctx.handle.db;
  let restore: () => void = () => {};
  beforeEach(() => {
    restore = overrideConfig({ SHOPIFY_WEBHOOK_SECRET: SECRET, SHOPIFY_SHOP_DOMAINS: SHOP, APP_CURRENCY: "USD" });
  });
  afterEach(() => restore());

  const orders = () =>
    rows<{ order_id: string; customer_id: string; visitor_id: string | null; total: number; currency: string | null; status: string; placed_at: string; subtotal: number; discount: number; shipping: number; tax: number; discount_codes: string[]; email_sha256: string | null; phone_sha256: string | null; landing_url: string | null; referrer: string | null }>(
      db(),
      sql`SELECT order_id, customer_id, visitor_id, total::float8 AS total, currency, status, placed_at, subtotal::float8 AS subtotal,
                 discount::float8 AS discount, shipping::float8 AS shipping, tax::float8 AS tax, discount_codes,
                 email_sha256, phone_sha256, landing_url, referrer
          FROM orders ORDER BY order_id`,
    );
  const refunds = () =>
    rows<{ refund_id: string; order_id: string; amount: number; refunded_at: string; reason: string | null }>(
      db(),
      sql`SELECT refund_id, order_id, amount::float8 AS amount, refunded_at, reason FROM order_refunds ORDER BY refund_id`,
    );
  const deliveries = () =>
    rows<{ delivery_id: string; topic: string; shop: string; outcome: string; error: string | null; duplicates: number }>(
      db(),
      sql`SELECT delivery_id, topic, shop, outcome, error, duplicates FROM webhook_deliveries ORDER BY received_at, delivery_id`,
    );

  it("orders/create then refunds/create: one order with Shopify's total, currency and ids (digits beyond 2^53 kept), the refund stored", async () => {
    const a = await send("orders/create", ORDER, { id: "wh-1" });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ ok: true, outcome: "stored" });
    const b = await send("refunds/create", REFUND, { id: "wh-2" });
    expect(b.body).toEqual({ ok: true, outcome: "stored" });

    const [o] = await orders();
    // id 820982911946154508 > 2^53 (9007199254740992): JSON.parse would give ...154500.
    expect(o.order_id).toBe("820982911946154508");
    expect(o.customer_id).toBe("115310627314723954");
    // current_total_price 398.00 = 2 × 199.00 − 10.00 discount + 10.00 shipping + 0.00 tax.
    expect(o.total).toBe(398);
    expect(o.currency).toBe("USD");
    expect(o.status).toBe("paid");
    // processed_at 2026-03-10T08:15:47-05:00 = 13:15:47Z (created_at 08:15:40 is not used).
    expect(new Date(o.placed_at).toISOString()).toBe("2026-03-10T13:15:47.000Z");
    expect([o.subtotal, o.discount, o.shipping, o.tax]).toEqual([388, 10, 10, 0]);
    expect(o.discount_codes).toEqual(["SPRING10"]);
    // e-mail "Jon@Example.com" hashed as jon@example.com; never stored plain.
    expect(o.email_sha256).toBe(hashEmail("jon@example.com"));
    expect(o.phone_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(o.landing_url).toBe(
      "https://utmd-test.myshopify.com/products/ipod-nano?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_sale&fbclid=IwAR0abc",
    );
    expect(o.referrer).toBe("https://www.facebook.com/");
    const items = await rows<{ sku: string; product_id: string; name: string; quantity: number; price: number }>(
      db(),
      sql`SELECT sku, product_id, name, quantity, price::float8 AS price FROM order_items ORDER BY position`,
    );
    expect(items).toEqual([{ sku: "IPOD2008PINK", product_id: "632910392", name: "IPod Nano - 8GB", quantity: 2, price: 199 }]);

    const [r] = await refunds();
    // refunds/create: its one successful refund transaction of 50.00, dated processed_at (15:00Z).
    expect(r).toMatchObject({ refund_id: "890088186047892319", order_id: "820982911946154508", amount: 50, reason: "Goodwill: late delivery" });
    expect(new Date(r.refunded_at).toISOString()).toBe("2026-03-12T15:00:00.000Z");

    // orders/updated after the refund carries it in refunds[] (partially_refunded → paid): still one order, one refund.
    const updated = JSON.parse(ORDER.replace(/: (\d{16,})/g, ': "$1"')) as Record<string, unknown>;
    updated.financial_status = "partially_refunded";
    updated.refunds = [JSON.parse(REFUND.replace(/: (\d{16,})/g, ': "$1"'))];
    const c = await send("orders/updated", JSON.stringify(updated), { id: "wh-3" });
    expect(c.body).toEqual({ ok: true, outcome: "stored" });
    expect((await orders()).map((x) => [x.order_id, x.total, x.status])).toEqual([["820982911946154508", 398, "paid"]]);
    expect((await refunds()).map((x) => [x.refund_id, x.amount])).toEqual([["890088186047892319", 50]]);
  });

  it("the same X-Shopify-Webhook-Id again changes nothing and counts as a duplicate", async () => {
    await send("orders/create", ORDER, { id: "wh-dup" });
    const cancelled = ORDER.replace('"cancelled_at": null', '"cancelled_at": "2026-03-11T09:00:00-05:00"');
    // A redelivery must not apply different bytes either (same id = same delivery).
    const again = await send("orders/cancelled", cancelled, { id: "wh-dup" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ok: true, outcome: "duplicate" });
    expect((await orders()).map((o) => o.status)).toEqual(["paid"]);
    expect(await deliveries()).toEqual([{ delivery_id: "wh-dup", topic: "orders/create", shop: SHOP, outcome: "stored", error: null, duplicates: 1 }]);
    // With a new id the cancellation applies: cancelled_at set → cancelled.
    expect((await send("orders/cancelled", cancelled, { id: "wh-new" })).body).toEqual({ ok: true, outcome: "stored" });
    expect((await orders()).map((o) => o.status)).toEqual(["cancelled"]);
  });

  it("a late retry carrying an older state (X-Shopify-Triggered-At) does not undo a newer update", async () => {
    await send("orders/create", ORDER, { id: "wh-1", triggeredAt: "2026-03-10T13:15:48Z" });
    const cancelled = ORDER.replace('"cancelled_at": null', '"cancelled_at": "2026-03-11T09:00:00-05:00"');
    await send("orders/cancelled", cancelled, { id: "wh-2", triggeredAt: "2026-03-11T14:00:01Z" });
    // Shopify retried an orders/updated fired before the cancellation (its original payload: paid).
    const late = await send("orders/updated", ORDER, { id: "wh-3", triggeredAt: "2026-03-10T20:00:00Z" });
    expect(late.body).toEqual({ ok: true, outcome: "ignored", note: "an older state of the order than one already applied (a late retry)" });
    expect((await orders()).map((o) => o.status)).toEqual(["cancelled"]);
  });

  it("a wrong, missing or other-secret HMAC is 401 and stores nothing, not even a delivery", async () => {
    const wrong = await send("orders/create", ORDER, { hmac: sign(ORDER, "another-secret") });
    expect(wrong.status).toBe(401);
    expect((await send("orders/create", ORDER, { hmac: null })).status).toBe(401);
    expect((await send("orders/create", ORDER, { hmac: "not base64 at all" })).status).toBe(401);
    // The body changed by one byte after signing.
    expect((await send("orders/create", ORDER.replace("398.00", "399.00"), { hmac: sign(ORDER) })).status).toBe(401);
    expect(wrong.body).toEqual({ error: "Invalid or missing X-Shopify-Hmac-Sha256" });
    expect(await orders()).toEqual([]);
    expect(await deliveries()).toEqual([]);
  });

  it("a shop outside SHOPIFY_SHOP_DOMAINS is 403; an unset secret is 503 'not configured'", async () => {
    const other = await send("orders/create", ORDER, { shop: "someone-else.myshopify.com" });
    expect(other.status).toBe(403);
    restore();
    restore = overrideConfig({ SHOPIFY_WEBHOOK_SECRET: undefined, APP_CURRENCY: "USD" });
    const off = await send("orders/create", ORDER);
    expect(off.status).toBe(503);
    expect(off.body).toEqual({ error: "Shopify webhooks are not configured: set SHOPIFY_WEBHOOK_SECRET" });
    expect(await orders()).toEqual([]);
  });

  it("an unknown topic is 200 and counted as ignored", async () => {
    const r = await send("products/update", '{"id": 632910392, "title": "IPod Nano"}', { id: "wh-p" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, outcome: "ignored", note: "topic not used by this app" });
    await send("orders/create", ORDER, { id: "wh-o" });
    await send("orders/create", ORDER, { id: "wh-o" });
    const [shopify, woo] = await webhookHealth(db());
    expect(shopify.totals).toEqual({ stored: 1, ignored: 1, failed: 0, duplicate: 1 });
    expect(shopify.by_topic).toEqual([
      { topic: "orders/create", stored: 1, ignored: 0, failed: 0, duplicate: 1 },
      { topic: "products/update", stored: 0, ignored: 1, failed: 0, duplicate: 0 },
    ]);
    expect(shopify.last_received_at).not.toBeNull();
    expect(shopify.last_error).toBeNull();
    expect(woo).toMatchObject({ platform: "woocommerce", last_received_at: null, totals: { stored: 0, ignored: 0, failed: 0, duplicate: 0 } });
  });

  it("bad input: over 2 MB is 413 before the HMAC; signed but not JSON, NUL or wrong types are 200 'failed', logged, nothing stored", async () => {
    const huge = `{"pad":"${"x".repeat(2 * 1024 * 1024)}"}`;
    const big = await send("orders/create", huge);
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: "The body exceeds 2 MB" });

    const notJson = await send("orders/create", '{"id": 1,', { id: "wh-bad-json" });
    expect(notJson.status).toBe(200);
    expect(notJson.body).toEqual({ ok: false, outcome: "failed", error: "The body is not valid JSON" });

    const nul = await send("orders/create", ORDER.replace('"IPod Nano - 8GB",\n      "price"', '"IPod\\u0000Nano",\n      "price"'), { id: "wh-nul" });
    expect(nul.body).toMatchObject({ ok: false, outcome: "failed", issues: [{ path: "line_items[0].name", message: "must not contain NUL characters or lone surrogates" }] });

    const types = await send("orders/create", ORDER.replace('"current_total_price": "398.00"', '"current_total_price": {"amount": 398}').replace('"quantity": 2', '"quantity": "two"'), { id: "wh-types" });
    expect(types.status).toBe(200);
    expect(types.body).toMatchObject({
      ok: false,
      outcome: "failed",
      error: "Invalid Shopify order",
      issues: [
        { path: "current_total_price", message: "must be a decimal number or string" },
        { path: "line_items[0].quantity", message: "must be a decimal amount such as 19.99" },
      ],
    });
    expect(await orders()).toEqual([]);
    expect((await deliveries()).map((d) => [d.delivery_id, d.outcome])).toEqual([
      ["wh-bad-json", "failed"],
      ["wh-nul", "failed"],
      ["wh-types", "failed"],
    ]);
    const [shopify] = await webhookHealth(db());
    expect(shopify.last_error).toMatchObject({ topic: "orders/create" });
    expect(shopify.last_error!.error).toContain("Invalid Shopify order (current_total_price: must be a decimal number or string");
    // Missing webhook id with a valid signature: 400 naming the header.
    const noId = await call(post, "/api/integrations/shopify/webhooks", { raw: ORDER, headers: { "x-shopify-hmac-sha256": sign(ORDER), "x-shopify-topic": "orders/create", "x-shopify-shop-domain": SHOP } });
    expect(noId.status).toBe(400);
    expect(noId.body).toMatchObject({ issues: [{ path: "X-Shopify-Webhook-Id" }] });
  });

  it("a redelivery of a failed delivery is tried again (a refund that came before its order)", async () => {
    const early = await send("refunds/create", REFUND, { id: "wh-r" });
    expect(early.body).toMatchObject({ ok: false, outcome: "failed", error: "Unknown order: send the order before its refunds" });
    await send("orders/create", ORDER, { id: "wh-o" });
    expect((await send("refunds/create", REFUND, { id: "wh-r" })).body).toEqual({ ok: true, outcome: "stored" });
    expect((await refunds()).map((r) => r.amount)).toEqual([50]);
    expect((await deliveries()).map((d) => [d.delivery_id, d.outcome, d.error])).toEqual([
      ["wh-o", "stored", null],
      ["wh-r", "stored", null],
    ]);
  });

  it("customers/redact erases the customer: orders detached from customer, visitor and contact, every total kept", async () => {
    await db().insert(sessions).values({ id: sid(1), visitorId: "v-john", startedAt: new Date("2026-03-10T13:00:00Z"), lastEventAt: new Date("2026-03-10T13:00:00Z"), utmSource: "facebook" });
    await db().execute(sql`INSERT INTO events (id, session_id, type, occurred_at) VALUES ('00000000-0000-4000-9000-000000000001', ${sid(1)}, 'page_view', '2026-03-10T13:00:00Z')`);
    await send("orders/create", ORDER, { id: "wh-o" });
    // Link the order to the visitor, as the pixel's purchase event would.
    await db().execute(sql`UPDATE orders SET visitor_id = 'v-john', session_id = ${sid(1)}`);
    const before = await rows<{ n: number; revenue: number }>(db(), sql`SELECT count(*)::int AS n, sum(revenue)::float8 AS revenue FROM customers`);

    const r = await send("customers/redact", REDACT, { id: "wh-redact" });
    expect(r.body).toEqual({ ok: true, outcome: "stored", note: "customer erased: 1 orders detached, 1 visitors erased" });
    const [o] = await orders();
    expect(o.customer_id).toMatch(/^erased:[0-9a-f-]{36}$/);
    expect([o.visitor_id, o.email_sha256, o.phone_sha256, o.landing_url, o.referrer]).toEqual([null, null, null, null, null]);
    expect([o.total, o.status]).toEqual([398, "paid"]);
    // One customer with the same revenue before and after (398).
    expect(await rows(db(), sql`SELECT count(*)::int AS n, sum(revenue)::float8 AS revenue FROM customers`)).toEqual(before);
    expect(before).toEqual([{ n: 1, revenue: 398 }]);
    // The visitor: events gone, session anonymised with its source kept.
    expect(await rows(db(), sql`SELECT count(*)::int AS n FROM events`)).toEqual([{ n: 0 }]);
    const [s] = await rows<{ visitor_id: string; utm_source: string }>(db(), sql`SELECT visitor_id, utm_source FROM sessions`);
    expect(s.visitor_id).toMatch(/^erased:/);
    expect(s.utm_source).toBe("facebook");
  });

  it("customers/data_request and shop/redact are 200 and logged", async () => {
    await send("orders/create", ORDER, { id: "wh-o" });
    const dr = await send("customers/data_request", '{"shop_id":954889,"shop_domain":"utmd-test.myshopify.com","orders_requested":[820982911946154508],"customer":{"id":115310627314723954,"email":"john@example.com"},"data_request":{"id":9999}}', { id: "wh-dr" });
    expect(dr.body).toEqual({ ok: true, outcome: "stored", note: "data request logged: 1 orders held for this customer" });
    const sr = await send("shop/redact", '{"shop_id":954889,"shop_domain":"utmd-test.myshopify.com"}', { id: "wh-sr" });
    expect(sr.status).toBe(200);
    expect((await deliveries()).map((d) => [d.topic, d.outcome])).toEqual([
      ["orders/create", "stored"],
      ["customers/data_request", "stored"],
      ["shop/redact", "stored"],
    ]);
    expect((await orders()).length).toBe(1);
  });
});
