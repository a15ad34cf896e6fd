import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { GET as cronRates } from "@/app/api/cron/rates/route";
import { GET as health } from "@/app/api/utm/health/route";
import { POST as postRates } from "@/app/api/utm/rates/route";
import { GET as generalStats } from "@/app/api/utm/general-stats/route";
import { runRatesImport } from "@/cli/commands/rates";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows, type Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { ingestOrders } from "@/lib/ingest/orders";
import { crossRates, parseEcb, parseNbu, ratesUrlFor } from "@/lib/ingest/rate-sources";
import { describeDb } from "../helpers/db";
import { overrideConfig } from "../helpers/config";

/**
 * SPEC 17.5 doors of the rates: POST /api/utm/rates (admin session from our origin, or an
 * `ingest` token), the CLI import, GET /api/cron/rates fetching RATES_URL from a local server
 * that answers the NBU's and the ECB's documented shapes, and /api/utm/health. The signed-in
 * user is mocked (next-auth needs a Next request scope); APP_URL is http://localhost:3000.
 */

const session = vi.hoisted(() => ({ user: null as null | { id: number; email: string; name: string; role: "admin" | "viewer" } }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const APP = "http://localhost:3000";

async function call(handler: unknown, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await (handler as Handler)(new Request(APP + url, { method: init.method ?? "GET", headers: init.headers, body: init.body }), { params: Promise.resolve({}) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: body as Record<string, unknown> };
}

const asAdmin = { "content-type": "application/json", origin: APP };
const post = (body: unknown, headers: Record<string, string> = asAdmin) =>
  call(postRates, "/api/utm/rates", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

const storedRates = (db: Db) =>
  rows<{ date: string; currency: string; rate: number; source: string }>(
    db,
    sql`select to_char(date, 'YYYY-MM-DD') as date, currency, rate::float8 as rate, source from fx_rates order by date, currency`,
  );

// --- a local rates source: the NBU's JSON API and the ECB's eurofxref XML, as documented ---------
const NBU_BODY = [
  { r030: 840, txt: "Долар США", rate: 41.2345, cc: "USD", exchangedate: "10.03.2026" },
  { r030: 978, txt: "Євро", rate: 44.8, cc: "EUR", exchangedate: "10.03.2026" },
  { r030: 985, txt: "Злотий", rate: 10.5, cc: "PLN", exchangedate: "10.03.2026" },
  { r030: 959, txt: "Золото", rate: 120000.5, cc: "XAU", exchangedate: "10.03.2026" },
];
const ECB_BODY = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2026-03-10'>
			<Cube currency='USD' rate='1.0800'/>
			<Cube currency='PLN' rate='4.3200'/>
			<Cube currency='GBP' rate='0.8400'/>
		</Cube>
		<Cube time='2026-03-09'>
			<Cube currency='USD' rate='1.2000'/>
			<Cube currency='PLN' rate='4.8000'/>
		</Cube>
	</Cube>
</gesmes:Envelope>`;

let server: Server;
let base = "";
const seen: string[] = [];
let mode: "ok" | "500" | "garbage" = "ok";

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push(req.url ?? "");
    if (mode === "500") return res.writeHead(500).end("oops");
    if (mode === "garbage") return res.writeHead(200, { "content-type": "text/html" }).end("hello");
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/NBUStatService/v1/statdirectory/exchange") {
      // The NBU answers JSON only with the `json` flag and takes date=YYYYMMDD.
      if (!url.searchParams.has("json") || !/^\d{8}$/.test(url.searchParams.get("date") ?? "")) return res.writeHead(400).end("bad request");
      return res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(NBU_BODY));
    }
    if (url.pathname === "/stats/eurofxref/eurofxref-hist-90d.xml") return res.writeHead(200, { "content-type": "text/xml" }).end(ECB_BODY);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it("NBU and ECB documents parse into rates of APP_CURRENCY (cross rates through the source's own currency)", () => {
  // NBU quotes UAH per unit: on a UAH install the rates are the quotes; XAU is no ISO 4217 code in Intl's list.
  expect(crossRates(parseNbu(NBU_BODY), "UAH")).toEqual([
    { date: "2026-03-10", currency: "EUR", rate: 44.8 },
    { date: "2026-03-10", currency: "PLN", rate: 10.5 },
    { date: "2026-03-10", currency: "USD", rate: 41.2345 },
  ]);
  // On a PLN install through UAH: USD = 41.2345 / 10.5 = 3.9270952381, EUR = 44.8 / 10.5 = 4.2666666667, UAH = 1 / 10.5 = 0.0952380952.
  expect(crossRates(parseNbu(NBU_BODY), "PLN")).toEqual([
    { date: "2026-03-10", currency: "EUR", rate: 4.2666666667 },
    { date: "2026-03-10", currency: "UAH", rate: 0.0952380952 },
    { date: "2026-03-10", currency: "USD", rate: 3.9270952381 },
  ]);
  // ECB quotes units per 1 EUR. EUR install: USD = 1 / 1.08 = 0.9259259259, GBP = 1 / 0.84 = 1.1904761905, PLN = 1 / 4.32 = 0.2314814815.
  expect(crossRates(parseEcb(ECB_BODY), "EUR").filter((r) => r.date === "2026-03-10")).toEqual([
    { date: "2026-03-10", currency: "GBP", rate: 1.1904761905 },
    { date: "2026-03-10", currency: "PLN", rate: 0.2314814815 },
    { date: "2026-03-10", currency: "USD", rate: 0.9259259259 },
  ]);
  // PLN install: EUR = 4.32, USD = 4.32 / 1.08 = 4, GBP = 4.32 / 0.84 = 5.1428571429; 03-09: EUR 4.8, USD 4.8 / 1.2 = 4.
  expect(crossRates(parseEcb(ECB_BODY), "PLN")).toEqual([
    { date: "2026-03-09", currency: "EUR", rate: 4.8 },
    { date: "2026-03-09", currency: "USD", rate: 4 },
    { date: "2026-03-10", currency: "EUR", rate: 4.32 },
    { date: "2026-03-10", currency: "GBP", rate: 5.1428571429 },
    { date: "2026-03-10", currency: "USD", rate: 4 },
  ]);
  // UAH is not among the ECB's currencies: a UAH install gets nothing from it.
  expect(crossRates(parseEcb(ECB_BODY), "UAH")).toEqual([]);
  expect(ratesUrlFor("https://bank.gov.ua/NBUStatService/v1/statdirectory/exchange?json&date=20000101", "2026-03-10")).toBe(
    "https://bank.gov.ua/NBUStatService/v1/statdirectory/exchange?json&date=20260310",
  );
  expect(ratesUrlFor("https://rates.example/{date}.json", "2026-03-10")).toBe("https://rates.example/20260310.json");
  expect(() => parseNbu({ not: "a list" })).toThrow(/NBU/);
  expect(() => parseEcb("<html></html>")).toThrow(/ECB/);
});

describeDb("day rates: POST /api/utm/rates, the CLI, the cron fetch, health (SPEC 17.5)", (ctx) => {
  let restore: () => void;
  beforeEach(() => {
    restore = overrideConfig({ APP_CURRENCY: "UAH", APP_TIMEZONE: "UTC", CRON_SECRET: "cron-secret-123", RATES_URL: undefined });
    session.user = { id: 1, email: "admin@shop.ua", name: "Admin", role: "admin" };
    seen.length = 0;
    mode = "ok";
  });
  afterEach(() => restore());

  it("an admin posts rates; a waiting USD order converts and general-stats revenue grows by exactly amount × rate", async () => {
    const db = ctx.handle.db;
    await ingestBatch(db, {
      sessions: [{ id: "00000000-0000-4000-8000-000000000001", visitor_id: "v1", started_at: "2026-03-10T09:00:00Z", landing_url: "https://shop.example/?utm_source=google&utm_medium=cpc" }],
      events: [],
      orders: [{ order_id: "o1", customer_id: "c1", visitor_id: "v1", total: 120, currency: "USD", placed_at: "2026-03-10T10:00:00Z" }],
    });
    const h1 = await call(health, "/api/utm/health");
    expect(h1.status).toBe(200);
    expect(h1.body.awaiting_rate).toEqual({ orders: 1, by_currency: { USD: { orders: 1, amount: 120 } } });
    const statsUrl = "/api/utm/general-stats?start_date=2026-03-01&end_date=2026-03-31";
    const revenue = async () => {
      const g = (await call(generalStats, statsUrl)).body as { orders: number; revenue: number; conversions: number };
      return [g.orders, g.revenue, g.conversions];
    };
    expect(await revenue()).toEqual([0, 0, 0]);
    expect(await rows(db, sql`select customer_id from customers`)).toEqual([]);
    const r = await post({ rows: [{ date: "2026-03-10", currency: "usd", rate: 41.2345 }] });
    expect(r).toEqual({ status: 200, body: { rates: 1, added: 1, updated: 0, orders_converted: 1, orders_awaiting: 0 } });
    // 120 × 41.2345 = 4,948.14
    expect(await rows(db, sql`select customer_id, revenue::float8 as revenue from customers`)).toEqual([{ customer_id: "c1", revenue: 4948.14 }]);
    expect((await call(health, "/api/utm/health")).body.awaiting_rate).toEqual({ orders: 0, by_currency: {} });
    expect(await revenue()).toEqual([1, 4948.14, 1]);
    expect(await storedRates(db)).toEqual([{ date: "2026-03-10", currency: "USD", rate: 41.2345, source: "api" }]);
  });

  it("an ingest token may post rates; no credentials 401, a read token 403, a viewer 403, a foreign Origin 403, a form body 403", async () => {
    const db = ctx.handle.db;
    const ingest = (await createApiToken(db, { name: "shop", scopes: ["ingest"] })).token;
    const read = (await createApiToken(db, { name: "ro", scopes: ["read"] })).token;
    const row = [{ date: "2026-03-10", currency: "EUR", rate: 45 }];
    session.user = null;
    expect((await post(row, { "content-type": "application/json" })).status).toBe(401);
    expect((await post(row, { "content-type": "application/json", authorization: `Bearer ${read}` })).status).toBe(403);
    expect((await post(row, { "content-type": "application/json", authorization: `Bearer ${ingest}` })).status).toBe(200);
    session.user = { id: 2, email: "viewer@shop.ua", name: "V", role: "viewer" };
    expect((await post(row)).status).toBe(403);
    session.user = { id: 1, email: "admin@shop.ua", name: "Admin", role: "admin" };
    expect((await post(row, { "content-type": "application/json", origin: "http://localhost:4000" })).status).toBe(403);
    expect((await post(row, { "content-type": "application/json" })).status).toBe(403); // no Origin, no Sec-Fetch-Site
    expect((await post(row, { "content-type": "application/x-www-form-urlencoded", origin: APP })).status).toBe(403);
    // Only the token's write is stored.
    expect(await storedRates(db)).toEqual([{ date: "2026-03-10", currency: "EUR", rate: 45, source: "api" }]);
  });

  it("bad input: 400 naming each field (types, NUL, negative, zero, huge, unknown currency, APP_CURRENCY, bad dates), 413 past 1 MB", async () => {
    const db = ctx.handle.db;
    const issues = async (body: unknown) => {
      const r = await post(body);
      expect(r.status).toBe(400);
      return (r.body.issues as { path: string }[]).map((i) => i.path);
    };
    expect(
      await issues([
        { date: "2026-03-10", currency: "USD", rate: "41.2" },
        { date: "2026-03-10", currency: "USD", rate: -1 },
        { date: "2026-03-10", currency: "USD", rate: 0 },
        { date: "2026-03-10", currency: "USD", rate: 1e12 },
        { date: "2026-03-10", currency: "ZZZ", rate: 1 },
        { date: "2026-03-10", currency: "UAH", rate: 1 },
        { date: "2026-02-30", currency: "USD", rate: 1 },
        { date: "10.03.2026", currency: "USD", rate: 1 },
        { date: 20260310, currency: 840, rate: 1 },
        { currency: "USD", rate: 1 },
        "USD",
      ]),
    ).toEqual(["[0].rate", "[1].rate", "[2].rate", "[3].rate", "[4].currency", "[5].currency", "[6].date", "[7].date", "[8].date", "[8].currency", "[9].date", "[10]"]);
    expect(await issues({ rows: [{ date: "2026-03-10", currency: "US\u0000", rate: 1 }] })).toEqual(["rows[0].currency"]);
    expect(await issues({ rows: [{ date: "2026-03-10", currency: "x".repeat(100_000), rate: 1 }] })).toEqual(["rows[0].currency"]);
    expect(await issues({ rows: [] })).toEqual(["rows"]);
    expect(await issues({ rates: [] })).toEqual(["(root)"]);
    expect((await post("{not json")).status).toBe(400);
    const big = await post(JSON.stringify({ rows: [{ date: "2026-03-10", currency: "USD", rate: 1, pad: "x".repeat(1024 * 1024) }] }));
    expect(big.status).toBe(413);
    expect(await storedRates(db)).toEqual([]);
  });

  it("npm run utm -- rates import: a CSV (decimal comma) and a JSON file; a bad row names its line", async () => {
    const db = ctx.handle.db;
    const dir = mkdtempSync(path.join(tmpdir(), "utmd-rates-"));
    const csv = path.join(dir, "rates.csv");
    writeFileSync(csv, "date,currency,rate\n2026-03-10,USD,\"41,2345\"\n2026-03-11,eur,44.9\n");
    const lines: string[] = [];
    expect(await runRatesImport(db, csv, (l) => lines.push(l))).toMatchObject({ rates: 2, added: 2 });
    expect(lines).toEqual([`Imported ${csv}: 2 rates (2 added, 0 updated); 0 orders converted, 0 still awaiting a rate.`]);
    const json = path.join(dir, "rates.json");
    writeFileSync(json, JSON.stringify([{ date: "2026-03-10", currency: "USD", rate: 41.5 }]));
    expect(await runRatesImport(db, json, () => {})).toMatchObject({ rates: 1, added: 0, updated: 1 });
    expect(await storedRates(db)).toEqual([
      { date: "2026-03-10", currency: "USD", rate: 41.5, source: "file" },
      { date: "2026-03-11", currency: "EUR", rate: 44.9, source: "file" },
    ]);
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "date,currency,rate\n2026-03-12,USD,abc\n");
    await expect(runRatesImport(db, bad, () => {})).rejects.toMatchObject({ issues: [{ path: "[0].rate", message: "must be a number" }] });
    writeFileSync(bad, "day,code,value\n2026-03-12,USD,1\n");
    await expect(runRatesImport(db, bad, () => {})).rejects.toThrow(/date, currency, rate/);
  });

  it("GET /api/cron/rates fetches the NBU for the day asked (date=YYYYMMDD) and converts waiting orders", async () => {
    const db = ctx.handle.db;
    const undo = overrideConfig({ RATES_URL: `${base}/NBUStatService/v1/statdirectory/exchange?json&date=20000101` });
    try {
      await ingestOrders(db, { order_id: "p1", customer_id: "c1", total: 2, currency: "PLN", placed_at: "2026-03-10T10:00:00Z" });
      expect((await call(cronRates, "/api/cron/rates?date=2026-03-10")).status).toBe(401);
      const auth = { authorization: "Bearer cron-secret-123" };
      const r = await call(cronRates, "/api/cron/rates?date=2026-03-10", { headers: auth });
      expect(r).toEqual({ status: 200, body: { date: "2026-03-10", source: "nbu", dates: ["2026-03-10"], rates: 3, added: 3, updated: 0, orders_converted: 1, orders_awaiting: 0 } });
      expect(seen).toEqual(["/NBUStatService/v1/statdirectory/exchange?json&date=20260310"]);
      // 2 PLN × 10.5 = 21.00 UAH
      expect(await rows(db, sql`select total::float8 as total, fx_rate::float8 as fx_rate from orders`)).toEqual([{ total: 21, fx_rate: 10.5 }]);
      expect((await call(cronRates, "/api/cron/rates?date=2026-03-10&date=2026-03-11", { headers: auth })).status).toBe(400);
      expect((await call(cronRates, "/api/cron/rates?date=yesterday", { headers: auth })).status).toBe(400);
      mode = "500";
      expect(await call(cronRates, "/api/cron/rates?date=2026-03-11", { headers: auth })).toEqual({ status: 502, body: { error: "The rates source answered 500" } });
      mode = "garbage";
      expect((await call(cronRates, "/api/cron/rates?date=2026-03-11", { headers: auth })).status).toBe(502);
      expect((await storedRates(db)).length).toBe(3);
    } finally {
      undo();
    }
  });

  it("the ECB's XML on a PLN install: every day of the file, cross rates through EUR; without RATES_URL 400; without CRON_SECRET 503", async () => {
    const db = ctx.handle.db;
    const auth = { authorization: "Bearer cron-secret-123" };
    expect((await call(cronRates, "/api/cron/rates", { headers: auth })).status).toBe(400);
    const undo = overrideConfig({ APP_CURRENCY: "PLN", RATES_URL: `${base}/stats/eurofxref/eurofxref-hist-90d.xml` });
    try {
      const r = await call(cronRates, "/api/cron/rates?date=2026-03-10", { headers: auth });
      expect(r.body).toMatchObject({ source: "ecb", dates: ["2026-03-09", "2026-03-10"], rates: 5, added: 5 });
      expect(await storedRates(db)).toEqual([
        { date: "2026-03-09", currency: "EUR", rate: 4.8, source: "ecb" },
        { date: "2026-03-09", currency: "USD", rate: 4, source: "ecb" },
        { date: "2026-03-10", currency: "EUR", rate: 4.32, source: "ecb" },
        { date: "2026-03-10", currency: "GBP", rate: 5.1428571429, source: "ecb" },
        { date: "2026-03-10", currency: "USD", rate: 4, source: "ecb" },
      ]);
      // The URL has no date to set: fetched as it is.
      expect(seen).toEqual(["/stats/eurofxref/eurofxref-hist-90d.xml"]);
    } finally {
      undo();
    }
    const off = overrideConfig({ CRON_SECRET: undefined });
    try {
      expect((await call(cronRates, "/api/cron/rates", { headers: auth })).status).toBe(503);
    } finally {
      off();
    }
  });

  it("health needs a signed-in user or a read token", async () => {
    session.user = null;
    expect((await call(health, "/api/utm/health")).status).toBe(401);
    const read = (await createApiToken(ctx.handle.db, { name: "ro", scopes: ["read"] })).token;
    const r = await call(health, "/api/utm/health", { headers: { authorization: `Bearer ${read}` } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ currency: "UAH", rates_url: false, awaiting_rate: { orders: 0, by_currency: {} } });
  });
});
