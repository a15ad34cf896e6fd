import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST } from "@/app/api/integrations/woocommerce/webhooks/route";
import { rows } from "@/lib/db/client";
import { emailCustomerId, hashPhone } from "@/lib/ingest/contact-hash";
import { webhookHealth } from "@/lib/integrations/deliveries";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";
import { call, type Handler } from "../helpers/ingest";

const post = POST as unknown as Handler;
const SECRET = "wc-secret-S3cr3t!";
const ORDER = readFileSync(path.join(__dirname, "../fixtures/woocommerce-order-created.json"), "utf8");
const order = (over: Record<string, unknown> = {}) => JSON.stringify({ ...(JSON.parse(ORDER) as object), ...over });
const sign = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("base64");

let n = 0;
const send = (topic: string, body: string, over: { delivery?: string; signature?: string | null } = {}) => {
  const headers: Record<string, string> = {
    "user-agent": "WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)",
    "x-wc-webhook-source": "https://shop.example.ua/",
    "x-wc-webhook-topic": topic,
    "x-wc-webhook-resource": topic.split(".")[0],
    "x-wc-webhook-event": topic.split(".")[1] ?? "",
    "x-wc-webhook-id": "12",
    "x-wc-webhook-delivery-id": over.delivery ?? `a3f1c09e2b7d4e5f8a6b0c1d2e3f40${String(++n).padStart(2, "0")}`,
  };
  const signature = over.signature === undefined ? sign(body) : over.signature;
  if (signature !== null) headers["x-wc-webhook-signature"] = signature;
  return call(post, "/api/integrations/woocommerce/webhooks", { raw: body, headers });
};

describeDb("POST /api/integrations/woocommerce/webhooks", (ctx) => {
  const db = () => ctx.handle.db;
  let restore: () => void = () => {};
  beforeEach(() => {
    restore = overrideConfig({ WOO_WEBHOOK_SECRET: SECRET, APP_CURRENCY: "UAH" });
  });
  afterEach(() => restore());

  const orders = () =>
    rows<{ order_id: string; customer_id: string; total: number; currency: string | null; status: string; placed_at: string; subtotal: number; discount: number; shipping: number; tax: number; discount_codes: string[]; phone_sha256: string | null; landing_url: string | null; referrer: string | null }>(
      db(),
      sql`SELECT order_id, customer_id, total::float8 AS total, currency, status, placed_at, subtotal::float8 AS subtotal,
                 discount::float8 AS discount, shipping::float8 AS shipping, tax::float8 AS tax, discount_codes, phone_sha256, landing_url, referrer
          FROM orders ORDER BY order_id`,
    );
  const refunds = () => rows<{ refund_id: string; amount: number }>(db(), sql`SELECT refund_id, amount::float8 AS amount FROM order_refunds ORDER BY refund_id`);
  const deliveries = () => rows<{ topic: string; shop: string; outcome: string; duplicates: number }>(db(), sql`SELECT topic, shop, outcome, duplicates FROM webhook_deliveries ORDER BY received_at`);

  it("the creation ping (unsigned form body webhook_id=N) is 200 and stores nothing", async () => {
    const ping = await call(post, "/api/integrations/woocommerce/webhooks", {
      raw: "webhook_id=12",
      headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)" },
    });
    expect(ping.status).toBe(200);
    expect(ping.body).toEqual({ ok: true, ping: true });
    expect(await deliveries()).toEqual([]);
  });

  it("order.created of a guest, then order.updated with a refund: one order, Woo's total and currency, hashed e-mail as customer, the refund stored", async () => {
    expect((await send("order.created", ORDER)).body).toEqual({ ok: true, outcome: "stored" });
    const [o] = await orders();
    expect(o.order_id).toBe("4127");
    // customer_id 0 = guest: the hashed billing e-mail (olena.k@example.com after normalising).
    expect(o.customer_id).toBe(emailCustomerId("olena.k@example.com"));
    // total "1160.00" = 2 × 450 + 1 × 300 − 120 coupon + 80 shipping + 0 tax.
    expect([o.total, o.currency, o.status]).toEqual([1160, "UAH", "paid"]);
    // date_created_gmt 2026-03-10T09:58:12 is UTC without an offset.
    expect(new Date(o.placed_at).toISOString()).toBe("2026-03-10T09:58:12.000Z");
    // subtotal = Σ price × quantity = 900 + 300.
    expect([o.subtotal, o.discount, o.shipping, o.tax]).toEqual([1200, 120, 80, 0]);
    expect(o.discount_codes).toEqual(["vesna10"]);
    expect(o.phone_sha256).toBe(hashPhone("380501234567"));
    // session_entry has no UTM: the attribution meta's utm_* are added ("(none)" ones are not).
    expect(o.landing_url).toBe("https://shop.example.ua/product/kava-arabica/?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale");
    expect(o.referrer).toBe("https://www.google.com/");

    const refunded = order({ refunds: [{ id: 4130, reason: "Damaged cup", total: "-270.00" }] });
    expect((await send("order.updated", refunded)).body).toEqual({ ok: true, outcome: "stored" });
    expect((await orders()).map((x) => [x.order_id, x.total, x.status])).toEqual([["4127", 1160, "paid"]]);
    // amount = −total.
    expect(await refunds()).toEqual([{ refund_id: "woo-refund:4130", amount: 270 }]);
  });

  it("a replay of the same delivery changes nothing; another body under the same delivery id (same webhook, same second) is stored", async () => {
    await send("order.created", ORDER, { delivery: "d41d8cd98f00b204e9800998ecf8427e" });
    const replay = await send("order.created", ORDER, { delivery: "d41d8cd98f00b204e9800998ecf8427e" });
    expect(replay.body).toEqual({ ok: true, outcome: "duplicate" });
    const other = order({ id: 4128, billing: { email: "petro@example.com", phone: "" }, customer_id: 57 });
    expect((await send("order.created", other, { delivery: "d41d8cd98f00b204e9800998ecf8427e" })).body).toEqual({ ok: true, outcome: "stored" });
    expect((await orders()).map((o) => [o.order_id, o.customer_id])).toEqual([
      ["4127", emailCustomerId("olena.k@example.com")],
      ["4128", "57"],
    ]);
    expect(await deliveries()).toEqual([
      { topic: "order.created", shop: "shop.example.ua", outcome: "stored", duplicates: 1 },
      { topic: "order.created", shop: "shop.example.ua", outcome: "stored", duplicates: 0 },
    ]);
  });

  it("statuses: on-hold → pending, failed → cancelled, refunded → refunded; order.deleted → cancelled; order.restored re-reads the status", async () => {
    await send("order.created", order({ status: "on-hold" }));
    expect((await orders())[0].status).toBe("pending");
    await send("order.updated", order({ status: "failed" }));
    expect((await orders())[0].status).toBe("cancelled");
    await send("order.updated", order({ status: "completed" }));
    expect((await orders())[0].status).toBe("paid");
    expect((await send("order.deleted", '{"id":4127}')).body).toEqual({ ok: true, outcome: "stored" });
    expect((await orders()).map((o) => [o.status, o.total])).toEqual([["cancelled", 1160]]);
    await send("order.restored", order({ status: "completed" }));
    expect((await orders())[0].status).toBe("paid");
    await send("order.updated", order({ status: "refunded" }));
    expect((await orders())[0].status).toBe("refunded");
    // A delivery with an older date_modified_gmt than the applied one is skipped.
    await send("order.updated", order({ status: "processing", date_modified_gmt: "2026-03-12T08:00:00" }));
    const stale = await send("order.updated", order({ status: "on-hold", date_modified_gmt: "2026-03-11T08:00:00" }));
    expect(stale.body).toEqual({ ok: true, outcome: "ignored", note: "an older state of the order than one already applied" });
    expect((await orders())[0].status).toBe("paid");
    expect((await send("order.deleted", '{"id":9999}')).body).toEqual({ ok: true, outcome: "ignored", note: "order.deleted for an order this app never stored" });
  });

  it("wrong or missing signature is 401 and stores nothing; unset secret is 503; unknown topic is 200 ignored", async () => {
    expect((await send("order.created", ORDER, { signature: sign(ORDER, "other") })).status).toBe(401);
    expect((await send("order.created", ORDER, { signature: null })).status).toBe(401);
    expect(await orders()).toEqual([]);
    expect(await deliveries()).toEqual([]);
    const product = await send("product.updated", '{"id":88,"name":"Kava Arabica 1 kg"}');
    expect(product.body).toEqual({ ok: true, outcome: "ignored", note: "topic not used by this app" });
    const [, woo] = await webhookHealth(db());
    expect(woo.totals).toEqual({ stored: 0, ignored: 1, failed: 0, duplicate: 0 });
    restore();
    restore = overrideConfig({ WOO_WEBHOOK_SECRET: undefined });
    const off = await send("order.created", ORDER);
    expect(off.status).toBe(503);
    expect(off.body).toEqual({ error: "WooCommerce webhooks are not configured: set WOO_WEBHOOK_SECRET" });
  });

  it("bad input: over 2 MB is 413; signed but not JSON, NUL or wrong types are 200 'failed' (Woo disables a webhook after 5 non-2xx), nothing stored", async () => {
    expect((await send("order.created", `"${"x".repeat(2 * 1024 * 1024)}"`)).status).toBe(413);
    expect((await send("order.created", "<order/>")).body).toEqual({ ok: false, outcome: "failed", error: "The body is not valid JSON" });
    const nul = await send("order.created", order({ status: "processing\u0000" }));
    expect(nul.body).toMatchObject({ ok: false, outcome: "failed", issues: [{ path: "status", message: "must not contain NUL characters or lone surrogates" }] });
    const types = await send("order.created", order({ total: true, line_items: [{ name: "x", quantity: [2] }] }));
    expect(types.status).toBe(200);
    expect(types.body).toMatchObject({
      ok: false,
      outcome: "failed",
      error: "Invalid WooCommerce order",
      issues: [
        { path: "total", message: "must be a decimal number or string" },
        { path: "line_items[0].quantity", message: "must be a decimal number or string" },
      ],
    });
    // A negative total passes Woo's shape but not the order path: failed with its message.
    const negative = await send("order.created", order({ total: "-5.00" }));
    expect(negative.body).toMatchObject({ ok: false, outcome: "failed", issues: [{ path: "total", message: "must be at least 0" }] });
    expect(await orders()).toEqual([]);
    expect((await deliveries()).map((d) => d.outcome)).toEqual(["failed", "failed", "failed", "failed"]);
  });
});
