import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runBackfill } from "@/cli/commands/shopify";
import { rows } from "@/lib/db/client";
import { emailCustomerId } from "@/lib/ingest/contact-hash";
import { ORDERS_QUERY, runShopifyBackfill } from "@/lib/integrations/shopify/backfill";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";

const PAGES = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/shopify-graphql-orders.json"), "utf8")) as Record<"page1" | "throttled" | "page2", unknown>;
const CURSOR1 = (PAGES.page1 as { data: { orders: { pageInfo: { endCursor: string } } } }).data.orders.pageInfo.endCursor;
const TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const SHOP = "utmd-test.myshopify.com";

type Seen = { method: string; path: string; token: string | undefined; contentType: string | undefined; query: string; variables: Record<string, unknown> };

/** A local Admin GraphQL endpoint: answers the scripted bodies in order, recording each request. */
let server: Server;
let script: { status: number; body: unknown }[] = [];
let seen: Seen[] = [];
const readAll = async (req: IncomingMessage) => {
  let s = "";
  for await (const c of req) s += c;
  return s;
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse(await readAll(req)) as { query: string; variables: Record<string, unknown> };
    seen.push({ method: req.method!, path: req.url!, token: req.headers["x-shopify-access-token"] as string | undefined, contentType: req.headers["content-type"], ...body });
    const next = script.shift() ?? { status: 500, body: { errors: "script exhausted" } };
    res.writeHead(next.status, { "content-type": "application/json" });
    res.end(JSON.stringify(next.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describeDb("shopify backfill (Admin GraphQL, local server)", (ctx) => {
  const db = () => ctx.handle.db;
  let restore: () => void = () => {};
  beforeEach(() => {
    const port = (server.address() as AddressInfo).port;
    restore = overrideConfig({ SHOPIFY_API_BASE: `http://127.0.0.1:${port}`, SHOPIFY_API_VERSION: "2025-10", APP_CURRENCY: "USD" });
    seen = [];
    script = [];
  });
  afterEach(() => restore());

  const orders = () =>
    rows<{ order_id: string; customer_id: string; total: number; status: string; landing_url: string | null }>(
      db(),
      sql`SELECT order_id, customer_id, total::float8 AS total, status, landing_url FROM orders ORDER BY order_id`,
    );
  const refunds = () => rows<{ refund_id: string; order_id: string; amount: number }>(db(), sql`SELECT refund_id, order_id, amount::float8 AS amount FROM order_refunds ORDER BY refund_id`);

  it("reads two cursor pages, waits out a THROTTLED answer, stores the orders with the webhook mapping; running it again changes nothing", async () => {
    script = [
      { status: 200, body: PAGES.page1 },
      { status: 200, body: PAGES.throttled },
      { status: 200, body: PAGES.page2 },
    ];
    const waits: number[] = [];
    const log: string[] = [];
    const out: string[] = [];
    const r = await runShopifyBackfill(db(), { shop: SHOP, token: TOKEN, since: "2026-03-01", sleep: async (ms) => void waits.push(ms), log: (l) => log.push(l) });
    expect(r).toEqual({ pages: 2, orders: 3, skipped: 0, resumed: false });

    // The documented request: POST /admin/api/{version}/graphql.json with the token header and the variables.
    expect(seen.map((s) => [s.method, s.path, s.token, s.contentType])).toEqual(Array(3).fill(["POST", "/admin/api/2025-10/graphql.json", TOKEN, "application/json"]));
    expect(seen[0].query).toBe(ORDERS_QUERY);
    expect(seen.map((s) => s.variables)).toEqual([
      { first: 20, after: null, query: "created_at:>=2026-03-01" },
      { first: 20, after: CURSOR1, query: "created_at:>=2026-03-01" },
      { first: 20, after: CURSOR1, query: "created_at:>=2026-03-01" }, // the throttled page asked again
    ]);
    // THROTTLED with 2 points available, 502 requested, 100 restored per second: (502 − 2) / 100 = 5 s.
    // Page 1 left 1988 ≥ 502, so no wait before the next page.
    expect(waits).toEqual([5000]);
    expect(log).toContain("shopify backfill: throttled by Shopify, waiting 5.0 s");

    const stored = await orders();
    expect(stored).toEqual([
      // legacyResourceId 9007199254740993 = 2^53 + 1, kept exactly; 150.0, partially refunded → paid;
      // the last visit has neither campaign nor referrer, so the first one's landing is used.
      { order_id: "9007199254740993", customer_id: "7390123456789012345", total: 150, status: "paid", landing_url: "https://utmd-test.myshopify.com/?utm_source=google&utm_medium=cpc&gclid=abc" },
      // A guest: the hashed e-mail is the customer.
      { order_id: "9007199254740994", customer_id: emailCustomerId("guest@example.com")!, total: 80, status: "paid", landing_url: "https://utmd-test.myshopify.com/?utm_source=newsletter&utm_medium=email" },
      // Refunded by its line item: current total 0.0 + the refunded line 60.0 + 0.0 tax = 60.
      { order_id: "9007199254740995", customer_id: "7390123456789012345", total: 60, status: "refunded", landing_url: null },
    ]);
    expect(await refunds()).toEqual([
      { refund_id: "991000000000000001", order_id: "9007199254740993", amount: 20 },
      { refund_id: "991000000000000002", order_id: "9007199254740995", amount: 60 },
    ]);

    // Again (the last run finished: it starts over): same orders, same refunds, one customer row per customer.
    script = [
      { status: 200, body: PAGES.page1 },
      { status: 200, body: PAGES.page2 },
    ];
    seen = [];
    const again = await runBackfill(db(), { shop: SHOP, token: TOKEN, since: "2026-03-01" }, (l) => out.push(l), () => {});
    expect(again).toEqual({ pages: 2, orders: 3, skipped: 0, resumed: false });
    expect(seen[0].variables.after).toBeNull();
    expect(out).toEqual(["Shopify backfill of utmd-test.myshopify.com: 3 orders stored or updated in 2 pages"]);
    expect(await orders()).toEqual(stored);
    expect((await refunds()).length).toBe(2);
    // ann: 150 + 60 (refunded orders do not count) → 150 revenue from 1 paid order; the guest 80.
    expect(await rows(db(), sql`SELECT customer_id, paid_orders, revenue::float8 AS revenue FROM customers ORDER BY revenue`)).toEqual([
      { customer_id: emailCustomerId("guest@example.com"), paid_orders: 1, revenue: 80 },
      { customer_id: "7390123456789012345", paid_orders: 1, revenue: 150 },
    ]);
  });

  it("resumes after the last stored page when a run stopped (Shopify down), and refuses a wrong token clearly", async () => {
    script = [{ status: 200, body: PAGES.page1 }, ...Array(3).fill({ status: 502, body: { errors: "Bad gateway" } })];
    await expect(runShopifyBackfill(db(), { shop: SHOP, token: TOKEN, since: "2026-03-01", retries: 2, sleep: async () => {} })).rejects.toThrow("Shopify answered 502");
    expect((await orders()).length).toBe(2);

    script = [{ status: 200, body: PAGES.page2 }];
    seen = [];
    const r = await runShopifyBackfill(db(), { shop: SHOP, token: TOKEN, since: "2026-03-01", sleep: async () => {} });
    expect(r).toEqual({ pages: 1, orders: 3, skipped: 0, resumed: true });
    expect(seen.map((s) => s.variables.after)).toEqual([CURSOR1]);
    expect((await orders()).length).toBe(3);

    script = [{ status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } }];
    await expect(runShopifyBackfill(db(), { shop: SHOP, token: "shpat_wrong", sleep: async () => {} })).rejects.toThrow(
      "Shopify refused the token (401): check --token and that the app has the read_orders scope",
    );
    await expect(runShopifyBackfill(db(), { shop: "not a domain", token: TOKEN })).rejects.toThrow("--shop must be the shop's domain");
    await expect(runShopifyBackfill(db(), { shop: SHOP, token: TOKEN, since: "March" })).rejects.toThrow("--since must be a date YYYY-MM-DD");
  });
});
