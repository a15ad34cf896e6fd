import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST as collectPost } from "@/app/api/collect/route";
import { POST as shopifyPost } from "@/app/api/integrations/shopify/webhooks/route";
import { POST as wooPost } from "@/app/api/integrations/woocommerce/webhooks/route";
import { getAttributionCompare, ATTRIBUTION_MODELS } from "@/lib/analytics/attribution";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { getLtvComparison } from "@/lib/analytics/ltv";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import type { ReadPath } from "@/lib/analytics/rollups";
import { rows, type Db } from "@/lib/db/client";
import { storeRates } from "@/lib/ingest/rates";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";
import { call, eid, sid, type Handler } from "../helpers/ingest";

/**
 * Issue 21's acceptance, end to end through the real routes a shop calls: a signed Shopify or
 * WooCommerce order in a foreign currency, its refund, a replayed delivery, a forged signature;
 * the pixel's purchase before the webhook; an order with only a tagged landing_site. Figures by
 * hand in the comments; every report is read on both paths (range statement and day cells).
 */

const fixture = (name: string) => readFileSync(path.join(__dirname, "../fixtures", name), "utf8");
const SHOPIFY_ORDER = fixture("shopify-order-create.json");
const SHOPIFY_REFUND = fixture("shopify-refund-create.json");
const WOO_ORDER = fixture("woocommerce-order-created.json");
const SHOPIFY_SECRET = "shpss_acceptance_0123456789";
const WOO_SECRET = "wc-acceptance-secret";
const SHOP = "utmd-test.myshopify.com";
const PATHS: ReadPath[] = ["raw", "cells"];
const NOW = new Date("2026-04-15T12:00:00Z");
const MARCH = parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31" }, { tz: "UTC", now: NOW });

const b64 = (body: string, secret: string) => createHmac("sha256", secret).update(body).digest("base64");
let n = 0;
const shopify = (topic: string, body: string, over: { id?: string; hmac?: string } = {}) =>
  call(shopifyPost as unknown as Handler, "/api/integrations/shopify/webhooks", {
    raw: body,
    headers: {
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": SHOP,
      "x-shopify-webhook-id": over.id ?? `acc-${++n}`,
      "x-shopify-triggered-at": "2026-03-10T13:15:48.000Z",
      "x-shopify-api-version": "2025-10",
      "x-shopify-hmac-sha256": over.hmac ?? b64(body, SHOPIFY_SECRET),
    },
  });
const woo = (topic: string, body: string, over: { delivery?: string; signature?: string } = {}) =>
  call(wooPost as unknown as Handler, "/api/integrations/woocommerce/webhooks", {
    raw: body,
    headers: {
      "x-wc-webhook-source": "https://shop.example.ua/",
      "x-wc-webhook-topic": topic,
      "x-wc-webhook-resource": topic.split(".")[0],
      "x-wc-webhook-event": topic.split(".")[1],
      "x-wc-webhook-id": "12",
      "x-wc-webhook-delivery-id": over.delivery ?? `acc-woo-${++n}`,
      "x-wc-webhook-signature": over.signature ?? b64(body, WOO_SECRET),
    },
  });

// General stats are session-scoped (SPEC 4): the orders are placed today and linked to a session
// of today by the purchase event the pixel / thank-you page sends, as in a real shop.
const NOW_REAL = new Date();
const TODAY = NOW_REAL.toISOString().slice(0, 10);
const TODAY_Q = parseAnalyticsQuery({ start_date: TODAY, end_date: TODAY }, { tz: "UTC", now: NOW_REAL });
const collect = (body: unknown) => call(collectPost as unknown as Handler, "/api/collect", { body });
async function visitThenPurchase(visitor: string, session: number, orderId: string, url: string) {
  const base = { visitor_id: visitor, session_id: sid(session), url };
  expect((await collect({ ...base, event_id: eid(++n), type: "page_view" })).status).toBe(202);
  expect((await collect({ ...base, event_id: eid(++n), type: "purchase", order_id: orderId })).status).toBe(202);
}
const shopifyToday = (body: string) => body.replace(/"processed_at": "[^"]+"/, `"processed_at": "${NOW_REAL.toISOString()}"`);
const wooToday = (body: string) => body.replace(/"date_created_gmt": "[^"]+"/, `"date_created_gmt": "${NOW_REAL.toISOString().slice(0, 19)}"`);

async function money(db: Db, q = TODAY_Q) {
  const out = [];
  for (const p of PATHS) {
    const s = await getGeneralStats(db, q, { path: p });
    out.push({ revenue: s.revenue, net_revenue: s.net_revenue });
  }
  expect(out[1]).toEqual(out[0]);
  return out[0];
}
async function credit(db: Db, dimension: "utm_source" | "utm_campaign", q = MARCH) {
  const out = [];
  for (const p of PATHS) {
    const c = await getAttributionCompare(db, q, dimension, { path: p });
    out.push(Object.fromEntries(c.rows.map((r) => [r.key, ATTRIBUTION_MODELS.map((m) => [r.results[m].conversions, r.results[m].revenue])])));
  }
  expect(out[1]).toEqual(out[0]);
  return out[0];
}
const everyModel = (conv: number, rev: number) => ATTRIBUTION_MODELS.map(() => [conv, rev]);
const orderRows = (db: Db) =>
  rows<{ order_id: string; total: number | null; total_original: number; currency: string; session_id: string | null }>(
    db,
    sql`SELECT order_id, total::float8 AS total, total_original::float8 AS total_original, currency, session_id::text FROM orders ORDER BY order_id`,
  );
const counts = async (db: Db) =>
  (
    await rows<{ orders: number; refunds: number; sessions: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM order_refunds)::int AS refunds, (SELECT count(*) FROM sessions)::int AS sessions`,
    )
  )[0];

describeDb("issue 21 acceptance: a shop plugs in by configuration", (ctx) => {
  const db = () => ctx.handle.db;
  let restore: () => void = () => {};
  afterEach(() => restore());

  it("Shopify: a USD order on a UAH install is converted at its day's rate, its refund lowers net revenue; replay and forgery change nothing", async () => {
    restore = overrideConfig({ SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, SHOPIFY_SHOP_DOMAINS: SHOP, APP_CURRENCY: "UAH", APP_TIMEZONE: "UTC" });
    await storeRates(db(), [{ date: TODAY, currency: "USD", rate: 41.5 }], "api");
    await visitThenPurchase("shop-v1", 1, "820982911946154508", "https://utmd-test.myshopify.com/?utm_source=google&utm_medium=cpc");

    expect((await shopify("orders/create", shopifyToday(SHOPIFY_ORDER), { id: "wh-a" })).body).toEqual({ ok: true, outcome: "stored" });
    // current_total_price 398.00 USD × 41.5 = 16,517.00 UAH, at the rate of its day (processed_at).
    expect((await orderRows(db())).map((o) => [o.order_id, o.total, o.total_original, o.currency])).toEqual([["820982911946154508", 16517, 398, "USD"]]);
    expect(await money(db())).toEqual({ revenue: 16517, net_revenue: 16517 });

    expect((await shopify("refunds/create", SHOPIFY_REFUND, { id: "wh-b" })).body).toEqual({ ok: true, outcome: "stored" });
    // The 50.00 USD refund at the order's rate: 50 × 41.5 = 2,075 → net 16,517 − 2,075 = 14,442 (accrual: on the order's day).
    expect(await money(db())).toEqual({ revenue: 16517, net_revenue: 14442 });

    // The same X-Shopify-Webhook-Id again, even with other bytes: a duplicate, nothing moves.
    const cancelled = shopifyToday(SHOPIFY_ORDER).replace('"cancelled_at": null', '"cancelled_at": "2026-03-11T09:00:00-05:00"');
    expect((await shopify("orders/cancelled", cancelled, { id: "wh-a" })).body).toEqual({ ok: true, outcome: "duplicate" });
    expect((await shopify("refunds/create", SHOPIFY_REFUND, { id: "wh-b" })).body).toEqual({ ok: true, outcome: "duplicate" });
    expect(await money(db())).toEqual({ revenue: 16517, net_revenue: 14442 });

    // A wrong HMAC: 401 and nothing stored (another order id would have been a new row).
    const other = SHOPIFY_ORDER.replace(/820982911946154508/g, "820982911946159999");
    const forged = await shopify("orders/create", other, { hmac: b64(other, "not-the-secret") });
    expect(forged.status).toBe(401);
    expect(await counts(db())).toEqual({ orders: 1, refunds: 1, sessions: 1 });
  });

  it("WooCommerce: the ping, then a EUR order and its refund on a UAH install; replay and forgery change nothing", async () => {
    restore = overrideConfig({ WOO_WEBHOOK_SECRET: WOO_SECRET, APP_CURRENCY: "UAH", APP_TIMEZONE: "UTC" });
    await storeRates(db(), [{ date: TODAY, currency: "EUR", rate: 45.25 }], "api");
    // The tracker's thank-you page detection sends the purchase with Woo's order id.
    await visitThenPurchase("woo-v1", 2, "4127", "https://shop.example.ua/?utm_source=google&utm_medium=cpc");
    const ping = await call(wooPost as unknown as Handler, "/api/integrations/woocommerce/webhooks", {
      raw: "webhook_id=12",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect([ping.status, ping.body]).toEqual([200, { ok: true, ping: true }]);

    const eur = JSON.stringify({ ...(JSON.parse(wooToday(WOO_ORDER)) as object), currency: "EUR" });
    expect((await woo("order.created", eur, { delivery: "d-1" })).body).toEqual({ ok: true, outcome: "stored" });
    // total 1,160.00 EUR × 45.25 = 52,490.00 UAH (the rate of date_created_gmt's day).
    expect((await orderRows(db())).map((o) => [o.order_id, o.total, o.total_original, o.currency])).toEqual([["4127", 52490, 1160, "EUR"]]);

    const refunded = JSON.stringify({ ...(JSON.parse(eur) as object), refunds: [{ id: 4130, reason: "Damaged cup", total: "-270.00" }] });
    expect((await woo("order.updated", refunded, { delivery: "d-2" })).body).toEqual({ ok: true, outcome: "stored" });
    // 270 EUR × 45.25 = 12,217.50 → net 52,490 − 12,217.50 = 40,272.50.
    expect(await money(db())).toEqual({ revenue: 52490, net_revenue: 40272.5 });

    expect((await woo("order.updated", refunded, { delivery: "d-2" })).body).toEqual({ ok: true, outcome: "duplicate" });
    const forged = await woo("order.created", JSON.stringify({ ...(JSON.parse(eur) as object), id: 9999 }), { signature: b64("x", WOO_SECRET) });
    expect(forged.status).toBe(401);
    expect(await counts(db())).toEqual({ orders: 1, refunds: 1, sessions: 1 });
    expect(await money(db())).toEqual({ revenue: 52490, net_revenue: 40272.5 });
  });

  it("the pixel's checkout_completed (a purchase event) then the webhook: the order is the pixel session's, not its landing_site's", async () => {
    restore = overrideConfig({ SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, SHOPIFY_SHOP_DOMAINS: SHOP, APP_CURRENCY: "USD", APP_TIMEZONE: "UTC" });
    const base = { visitor_id: "pixel-v1", session_id: sid(7), url: "https://utmd-test.myshopify.com/?utm_source=newsletter&utm_medium=email&utm_campaign=march" };
    expect((await collect({ ...base, event_id: eid(1), type: "page_view" })).status).toBe(202);
    // What the Web Pixel sends on checkout_completed: type purchase, the order's numeric id.
    expect((await collect({ ...base, event_id: eid(2), type: "purchase", order_id: "820982911946154508", properties: { value: 398, currency: "USD" } })).status).toBe(202);

    // The webhook arrives with today's date (the session is today's) and a facebook landing_site.
    const today = new Date();
    const order = SHOPIFY_ORDER.replace(/"processed_at": "[^"]+"/, `"processed_at": "${today.toISOString()}"`);
    expect((await shopify("orders/create", order)).body).toEqual({ ok: true, outcome: "stored" });
    expect((await orderRows(db())).map((o) => [o.order_id, o.session_id])).toEqual([["820982911946154508", sid(7)]]);

    const day = today.toISOString().slice(0, 10);
    const q = parseAnalyticsQuery({ start_date: day, end_date: day }, { tz: "UTC", now: today });
    // One session, one order of 398: every model gives newsletter / march 1 conversion and 398.
    expect(await credit(db(), "utm_source", q)).toEqual({ newsletter: everyModel(1, 398) });
    expect(await credit(db(), "utm_campaign", q)).toEqual({ march: everyModel(1, 398) });
  });

  it("no pixel: landing_site=/?utm_source=x&utm_campaign=y → x / y in attribution and acquisition, in no session count", async () => {
    restore = overrideConfig({ SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, SHOPIFY_SHOP_DOMAINS: SHOP, APP_CURRENCY: "USD", APP_TIMEZONE: "UTC" });
    const order = SHOPIFY_ORDER.replace(/"landing_site": "[^"]+"/, '"landing_site": "/?utm_source=x&utm_campaign=y"').replace(/"referring_site": "[^"]*"/, '"referring_site": null');
    expect((await shopify("orders/create", order)).body).toEqual({ ok: true, outcome: "stored" });

    // 398.00 USD, one order, its only touchpoint the landing URL → weight 1 in every model.
    expect(await credit(db(), "utm_source")).toEqual({ x: everyModel(1, 398) });
    expect(await credit(db(), "utm_campaign")).toEqual({ y: everyModel(1, 398) });
    // Acquisition: the customer's first order came through x.
    expect((await getLtvComparison(db(), MARCH)).map((r) => [r.utm_source, r.customers, r.revenue])).toEqual([["x", 1, 398]]);
    // No session was made: 0 sessions, 0 visitors in every path.
    for (const p of PATHS) {
      const s = await getGeneralStats(db(), MARCH, { path: p });
      expect([s.sessions, s.visitors]).toEqual([0, 0]);
    }
    expect((await counts(db())).sessions).toBe(0);
  });
});
