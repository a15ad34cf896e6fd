import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { OPTIONS, POST } from "@/app/api/collect/route";
import { rows } from "@/lib/db/client";
import { collectQueueIdle } from "@/lib/ingest/collect-queue";
import { trackerHealth } from "@/lib/ingest/tracker-health";
import { createFrontServer } from "@/lib/runtime/front-server";
import { withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { CHROME_UA, eid, sid, type Handler } from "../helpers/ingest";

/**
 * The `npm start` fast path for /api/collect (lib/runtime/front-server.ts) answers exactly like the
 * Next.js route for the same request (status, JSON body, CORS/drop/retry headers), stores the same
 * rows and counts the same drops; every other request reaches the app behind it with the real
 * client's address in x-utmd-peer.
 */

type Case = { name: string; method?: "POST" | "OPTIONS"; headers?: Record<string, string>; body?: string };

const event = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_id: eid(n),
    visitor_id: `v${n}`,
    session_id: sid(n),
    type: "page_view",
    url: "https://shop.example.com/landing?utm_source=Facebook&utm_medium=cpc&utm_campaign=spring",
    referrer: "https://www.google.com/",
    ...extra,
  });

/** The table of requests; `n` makes the ids of each door's copy distinct (route n, fast path n + 100). */
const cases = (n: number): Case[] => [
  { name: "good event", body: event(n + 1), headers: { origin: "https://shop.example.com", "cf-ipcountry": "UA" } },
  { name: "bot UA", body: event(n + 2), headers: { "user-agent": "curl/8.5.0" } },
  { name: "disallowed origin", body: event(n + 3), headers: { origin: "https://evil.example" } },
  { name: "bad JSON", body: "{not json" },
  { name: "17 KB body", body: event(n + 4, { referrer: "https://a.example/" + "x".repeat(17_000) }) },
  { name: "text/plain (sendBeacon)", body: event(n + 5), headers: { "content-type": "text/plain;charset=UTF-8" } },
  { name: "application/xml", body: "<x/>", headers: { "content-type": "application/xml" } },
  {
    name: "NUL-poisoned url",
    body: event(n + 6, { url: "https://shop.example.com/p%00q?utm_source=a%00b&utm_medium=c%00pc", referrer: "https://x.example/?q=%00" }),
  },
  { name: "invalid event", body: JSON.stringify({ nope: 1 }) },
  {
    name: "preflight",
    method: "OPTIONS",
    headers: { origin: "https://shop.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  },
];

const COMPARED = [
  "content-type",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-max-age",
  "access-control-expose-headers",
  "vary",
  "x-utmd-dropped",
  "retry-after",
];

type Answer = { status: number; body: string; headers: Record<string, string | null> };

const pick = (h: Headers): Record<string, string | null> => Object.fromEntries(COMPARED.map((k) => [k, h.get(k)]));

function headersOf(c: Case): Record<string, string> {
  return { "content-type": "application/json", "user-agent": CHROME_UA, ...c.headers };
}

async function viaRoute(c: Case): Promise<Answer> {
  const method = c.method ?? "POST";
  const handler = (method === "OPTIONS" ? OPTIONS : POST) as unknown as Handler;
  const req = new Request("http://localhost:3000/api/collect", { method, headers: headersOf(c), body: method === "POST" ? c.body : undefined });
  const res = await handler(req, { params: Promise.resolve({}) });
  return { status: res.status, body: await res.text(), headers: pick(res.headers) };
}

async function viaRouteRaw(init: RequestInit): Promise<Response> {
  return (POST as unknown as Handler)(new Request("http://localhost:3000/api/collect", init), { params: Promise.resolve({}) });
}

async function viaHttp(base: string, c: Case): Promise<Answer> {
  const method = c.method ?? "POST";
  const res = await fetch(`${base}/api/collect`, { method, headers: headersOf(c), body: method === "POST" ? c.body : undefined });
  return { status: res.status, body: await res.text(), headers: pick(res.headers) };
}

describeDb("npm start fast path for /api/collect", (ctx) => {
  let front: http.Server;
  let app: http.Server;
  let base = "";
  /** What the app behind the front server saw. */
  const seen: { url?: string; headers?: http.IncomingHttpHeaders; body?: string }[] = [];

  beforeAll(async () => {
    // Stands in for the Next.js child: echoes what it got, with a streamed answer.
    app = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ url: req.url, headers: req.headers, body });
        res.writeHead(201, { "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
        res.write("part 1;");
        setTimeout(() => res.end("part 2"), 5);
      });
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
    const appPort = (app.address() as AddressInfo).port;
    front = createFrontServer({ port: 0, upstream: { host: "127.0.0.1", port: appPort, secret: "s3cret" } });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    front?.closeAllConnections();
    await new Promise((r) => (front ? front.close(r) : r(undefined)));
    await new Promise((r) => (app ? app.close(r) : r(undefined)));
  });

  it("answers every request of the table like the Next route, and stores the same rows and drop counts", async () => {
    const db = ctx.handle.db;
    await withConfig({ ALLOWED_ORIGINS: "https://shop.example.com" }, async () => {
      const routeAnswers: Answer[] = [];
      for (const c of cases(0)) routeAnswers.push(await viaRoute(c));
      await new Promise((r) => setTimeout(r, 10)); // drops are recorded after getDb() resolves
      await collectQueueIdle(db);
      const afterRoute = await trackerHealth(db);
      const httpAnswers: Answer[] = [];
      for (const c of cases(100)) httpAnswers.push(await viaHttp(base, c));
      await new Promise((r) => setTimeout(r, 10));
      await collectQueueIdle(db);
      const afterHttp = await trackerHealth(db);

      const table = (answers: Answer[]) => cases(0).map((c, i) => ({ case: c.name, ...answers[i] }));
      expect(table(httpAnswers)).toEqual(table(routeAnswers));
      // The statuses themselves, so the comparison cannot pass on two equally broken doors.
      expect(routeAnswers.map((a) => a.status)).toEqual([202, 202, 403, 400, 413, 202, 415, 202, 400, 204]);
      expect(routeAnswers.map((a) => a.headers["x-utmd-dropped"])).toEqual([null, "bot", "origin", null, null, null, null, null, null, null]);

      // Each door: 3 stored events (good, text/plain, NUL-poisoned); drops bot 1, origin 1,
      // invalid 4 (bad JSON, 17 KB, xml, invalid event). After both doors: twice each.
      expect(afterRoute.events_last_hour).toBe(3);
      expect(afterRoute.dropped_last_day).toEqual({ bot: 1, origin: 1, invalid: 4 });
      expect(afterHttp.events_last_hour).toBe(6);
      expect(afterHttp.dropped_last_day).toEqual({ bot: 2, origin: 2, invalid: 8 });

      // Same rows from both doors (ids differ by 100 by construction).
      const stored = await rows<Record<string, unknown>>(
        db,
        sql`SELECT right(s.id::text, 3)::int % 100 AS n, s.utm_source, s.utm_medium, s.utm_campaign, s.country, s.device, s.browser,
                   s.landing_path, s.referrer, s.referrer_host, e.type, e.path, s.page_views, s.event_count,
                   right(s.id::text, 3)::int >= 100 AS via_http
            FROM sessions s JOIN events e ON e.session_id = s.id ORDER BY via_http, n`,
      );
      const route = stored.filter((r) => !r.via_http).map(({ via_http: _, ...r }) => r);
      const fast = stored.filter((r) => r.via_http).map(({ via_http: _, ...r }) => r);
      expect(route.map((r) => r.n)).toEqual([1, 5, 6]);
      expect(fast).toEqual(route);
      // The poisoned hit is stored clean: NULs removed after decoding (utm_source a%00b → ab).
      expect(route[2]).toMatchObject({ utm_source: "ab", utm_medium: "cpc", landing_path: "/p%00q", country: "(none)" });
      expect(route[0]).toMatchObject({ utm_source: "facebook", country: "UA" });
    });
  });

  it("decodes invalid UTF-8 like the Next route: U+FFFD inside a value is stored, broken JSON is 400, never 500", async () => {
    // One event whose landing URL holds the raw bytes FF FE (not percent-encoded), a body whose
    // JSON is broken by them, and a lone lead byte C3 as the whole body.
    const withBytes = (n: number) =>
      Buffer.concat([
        Buffer.from(`{"event_id":"${eid(n)}","visitor_id":"v${n}","session_id":"${sid(n)}","type":"page_view","url":"https://shop.example.com/?utm_source=a`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`b&utm_medium=cpc"}`),
      ]);
    const bodies = (n: number) => [withBytes(n), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d]), Buffer.from([0xc3])];
    const send = async (base0: string | null, body: Buffer) => {
      const init: RequestInit = { method: "POST", headers: { "content-type": "application/json", "user-agent": CHROME_UA }, body: new Uint8Array(body) };
      const res = base0 === null ? await viaRouteRaw(init) : await fetch(`${base0}/api/collect`, init);
      return { status: res.status, body: await res.text() };
    };
    const route = [];
    for (const b of bodies(21)) route.push(await send(null, b));
    const fast = [];
    for (const b of bodies(121)) fast.push(await send(base, b));
    expect(fast).toEqual(route);
    expect(route.map((a) => a.status)).toEqual([202, 400, 400]);
    expect(JSON.parse(route[1].body)).toEqual({ error: "The body is not valid JSON" });
    await collectQueueIdle(ctx.handle.db);
    const stored = await rows<{ n: number; utm_source: string }>(
      ctx.handle.db,
      sql`SELECT right(id::text, 3)::int AS n, utm_source FROM sessions ORDER BY n`,
    );
    // Both doors stored the same cleaned source for the U+FFFD-bearing URL.
    expect(stored.map((r) => r.n)).toEqual([21, 121]);
    expect(stored[1].utm_source).toBe(stored[0].utm_source);
    expect(stored[0].utm_source).toContain("\ufffd");
  });

  it("answers 413 to a chunked body over 16 KB without a Content-Length, on a connection it then closes", async () => {
    const big = event(7, { referrer: "https://a.example/" + "x".repeat(17_000) });
    const res = await fetch(`${base}/api/collect`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": CHROME_UA },
      // A stream: sent chunked, so only the bytes read can tell the size.
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "The body exceeds 16 KB" });
    expect(res.headers.get("connection")).toBe("close");
    await collectQueueIdle(ctx.handle.db);
    expect((await rows<{ n: number }>(ctx.handle.db, sql`SELECT count(*)::int AS n FROM events`))[0].n).toBe(0);
  });

  it("proxies everything else, streaming both ways, with the real peer address and the front's proof", async () => {
    seen.length = 0;
    const res = await fetch(`${base}/dispatcher/x?y=1`, {
      method: "POST",
      headers: { "x-utmd-peer": "6.6.6.6", "x-utmd-front": "forged", "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("part 1;part 2");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    // GET of /api/collect is not the fast path's: Next answers it (405).
    await (await fetch(`${base}/api/collect`)).text();
    expect(seen.map((s) => [s.url, s.body])).toEqual([
      ["/dispatcher/x?y=1", "hello"],
      ["/api/collect", ""],
    ]);
    const h = seen[0].headers!;
    // The client's x-utmd-peer is overwritten with the socket's address; the proof is the front's secret.
    expect([h["x-utmd-peer"], h["x-utmd-front"], h["x-forwarded-for"], h["x-forwarded-proto"]]).toEqual(["127.0.0.1", "s3cret", "127.0.0.1", "http"]);
    expect(h["x-forwarded-host"]).toBe(h.host);
  });
  it("answers TRACE and unknown methods 405 with Allow, before anything reaches the app (SPEC 21)", async () => {
    seen.length = 0;
    const port = Number(new URL(base).port);
    const ask = (method: string, path: string) =>
      new Promise<{ status: number; allow: string | undefined; type: string | undefined; body: string }>((resolve, reject) => {
        const r = http.request({ host: "127.0.0.1", port, method, path }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, type: res.headers["content-type"], body }));
        });
        r.on("error", reject);
        r.end();
      });
    const trace = await ask("TRACE", "/api/utm/general-stats");
    expect(trace.status).toBe(405);
    expect(trace.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(trace.type).toBe("application/json");
    expect(JSON.parse(trace.body).error).toMatch(/^The method TRACE is not allowed/);
    const odd = await ask("PROPFIND", "/dispatcher");
    expect([odd.status, odd.type]).toEqual([405, "text/plain; charset=utf-8"]);
    expect(seen).toEqual([]);
  });
});
