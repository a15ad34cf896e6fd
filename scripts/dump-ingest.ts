import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { openDb, rows, setDbHandle, type Db, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createScratchDatabase } from "@/lib/db/scratch-database";
import { generateDemo } from "@/lib/demo/generate";
import { errorResponse } from "@/lib/http/errors";
import { collectPost } from "@/lib/http/collect";
import { ingestBatch } from "@/lib/ingest/batch";
import { collectEvent } from "@/lib/ingest/collect";
import { collectQueueIdle } from "@/lib/ingest/collect-queue";

/**
 * `npx tsx scripts/dump-ingest.ts <out-file> [postgres-url]`: checks a change to ingestion. Drives
 * the batch and collect paths through one deterministic workload (demo batches; a batch that moves
 * sessions between visitors and back in time, backfills, a bot, an event id owned by another
 * session, events of unknown sessions, duplicates, orders, sent twice; concurrent collect events
 * out of time order into new, demo and backfilled sessions with duplicate ids; hostile collect and
 * batch bodies; a batch updating collected sessions) and writes every answer and every stored row
 * of sessions, events, orders, customers and tracker counters to <out-file> (instants stamped with
 * the wall clock masked). Run it before and after a change and compare the files: they must be
 * identical. In-memory PGlite, or with a PostgreSQL URL a scratch database `utmd_dump_ingest`
 * (created and dropped); both drivers give the same file.
 */

const out: string[] = [];
if (!process.argv[2]) throw new Error("usage: npx tsx scripts/dump-ingest.ts <out-file> [postgres-url]");
const log = (what: string, v: unknown) => out.push(`${what}: ${JSON.stringify(v)}`);
const hex = (n: number, w: number) => n.toString(16).padStart(w, "0");
const sid = (n: number) => `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`;
const eid = (n: number) => `${hex(n, 8)}-0000-4000-9000-${hex(n, 12)}`;
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

async function batch(db: Db, what: string, body: unknown) {
  try {
    log(what, await ingestBatch(db, body));
  } catch (e) {
    const r = errorResponse(e);
    log(what, { status: r.status, body: await r.text() });
  }
}

async function collect(what: string, body: unknown, headers: Record<string, string> = {}) {
  const req = new Request("http://localhost:3000/api/collect", {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": CHROME, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const r = await collectPost(req);
  return { what, status: r.status, body: await r.text(), dropped: r.headers.get("x-utmd-dropped") };
}

async function main() {
  const pgUrl = process.argv[3];
  let handle: DbHandle;
  let drop = async () => {};
  if (pgUrl) {
    const scratch = await createScratchDatabase(pgUrl, "utmd_dump_ingest", { variable: "url" });
    handle = scratch.handle;
    drop = scratch.drop;
  } else {
    handle = await openDb({ kind: "pglite" });
    await migrate(handle);
  }
  setDbHandle(handle);
  const db = handle.db;
  const now = new Date("2026-03-01T12:00:00Z");

  // A: demo data through the batch path.
  const demoSessions: { id: string; visitor_id: string; started_at: string; landing_url: string; country: string; user_agent: string }[] = [];
  const demoEvents: { id: string; session_id: string; type: string; occurred_at: string; path: string }[] = [];
  let k = 0;
  for (const chunk of generateDemo({ sessions: 1500, seed: 3, days: 20, now, maxRecords: 4000 })) {
    demoSessions.push(...chunk.sessions);
    demoEvents.push(...chunk.events);
    await batch(db, `A${k++}`, { sessions: chunk.sessions, events: chunk.events, orders: chunk.orders });
  }

  // B: moves, backfills, bots, conflicting event ids, missing sessions, duplicates, orders.
  const moved = demoSessions.slice(0, 60).map((s, i) => ({
    ...s,
    visitor_id: demoSessions[(i * 7 + 100) % demoSessions.length].visitor_id,
    started_at: new Date(Date.parse(s.started_at) - (i % 3) * 2 * 86400_000).toISOString(),
    utm_source: i % 4 === 0 ? "Moved-Source" : undefined,
  }));
  const backfill = Array.from({ length: 30 }, (_, i) => ({
    id: sid(5000 + i),
    visitor_id: demoSessions[i * 11].visitor_id,
    started_at: new Date(Date.parse(demoSessions[i * 11].started_at) - 3 * 86400_000).toISOString(),
    landing_url: `https://shop.example/back/${i}?utm_source=fb&utm_medium=paid&utm_campaign=Back${i % 3}`,
    referrer: i % 2 ? "https://l.facebook.com/" : null,
    country: i % 5 === 0 ? "ua" : undefined,
    device: i % 7 === 0 ? "Tablet" : undefined,
    user_agent: i % 2 ? IPHONE : CHROME,
  }));
  const bot = { id: sid(6000), visitor_id: "botv", started_at: "2026-02-20T10:00:00Z", user_agent: "curl/8.5.0" };
  const events = [
    ...backfill.map((s, i) => ({ id: eid(7000 + i), session_id: s.id, type: ["page_view", "product_view", "add_to_cart", "checkout_start", "custom"][i % 5], name: i % 5 === 4 ? ` ev${i} ` : undefined, occurred_at: new Date(Date.parse(s.started_at) + (i % 4) * 60_000).toISOString(), path: "/x", properties: i % 3 ? { k: i } : {} })),
    ...demoSessions.slice(200, 240).map((s, i) => ({ id: eid(8000 + i), session_id: s.id, type: i % 2 ? "checkout_start" : "page_view", occurred_at: new Date(Date.parse(s.started_at) + 3600_000).toISOString() })),
    { ...demoEvents[5], session_id: demoSessions[300].id }, // id taken by another session: not written
    { ...demoEvents[10], type: "add_to_cart" }, // re-sent with another type: updated
    { id: eid(9000), session_id: sid(9999), type: "page_view", occurred_at: "2026-02-25T10:00:00Z" }, // no such session
    { id: eid(9001), session_id: bot.id, type: "page_view", occurred_at: "2026-02-20T10:00:00Z" }, // bot's
    { id: eid(9002), session_id: backfill[0].id, type: "page_view", occurred_at: "2026-02-01T00:00:00Z" },
    { id: eid(9002), session_id: backfill[0].id, type: "custom", name: "dup-last-wins", occurred_at: "2026-02-01T00:00:00Z" },
  ];
  const orders = [
    { order_id: "B-1", customer_id: "c-b1", session_id: backfill[1].id, total: 100.5, placed_at: "2026-02-26T10:00:00Z" },
    { order_id: "B-2", visitor_id: moved[3].visitor_id, total: 40, placed_at: "2026-02-27T10:00:00Z" },
    { order_id: "B-3", customer_id: "c-b3", total: 10, status: "pending" },
  ];
  await batch(db, "B", { sessions: [...moved, ...backfill, bot, moved[0]], events, orders });
  await batch(db, "B-again", { sessions: [...moved, ...backfill, bot], events, orders });

  // C: collect, concurrent groups out of time order.
  const groups: Promise<unknown>[][] = [];
  for (let g = 0; g < 6; g++) {
    const group: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const n = g * 40 + i;
      const existing = n % 5 === 0 ? demoSessions[n].id : n % 7 === 0 ? backfill[n % 30].id : sid(10000 + (n % 90));
      const type = ["page_view", "product_view", "add_to_cart", "checkout_start", "custom", "page_view"][n % 6];
      const at = new Date(Date.UTC(2026, 1, 27, [3, 1, 5, 0, 2, 4][g], 0, i));
      group.push(
        collectEvent(db, {
          event_id: n % 13 === 0 ? eid(20000 + n - 1) : eid(20000 + n),
          visitor_id: n % 3 === 0 ? demoSessions[n % 50].visitor_id : `cv${n % 37}`,
          session_id: existing,
          type,
          name: type === "custom" ? `evt ${n % 4}` : undefined,
          url: `https://shop.example/c/${n % 9}?utm_source=${n % 2 ? "google" : "Newsletter"}&utm_medium=${n % 2 ? "cpc" : "email"}&utm_campaign=Spring%20${n % 3}&gclid=${n % 4 === 0 ? "abc" : ""}`,
          referrer: n % 4 === 1 ? "https://www.bing.com/search?q=x" : undefined,
          properties: n % 8 === 0 ? { sku: `S${n}`, price: n } : undefined,
        }, { headers: new Headers({ "user-agent": n % 2 ? IPHONE : CHROME, "x-vercel-ip-country": n % 3 ? "PL" : "UA" }), now: at }).then(
          (o) => o,
          async (e: unknown) => { const r = errorResponse(e); return { status: r.status, body: await r.text() }; },
        ),
      );
    }
    groups.push(group);
  }
  // The collect path stamps "now": the stored instants differ per run, so they are masked in the dump.
  for (const g of groups) log("C-group", await Promise.all(g));
  await collectQueueIdle(db);
  log("C-hostile", await Promise.all([
    collect("bot", { event_id: eid(30000), visitor_id: "b", session_id: sid(30000), type: "page_view", url: "https://shop.example/" }, { "user-agent": "Googlebot/2.1" }),
    collect("bad-type", { event_id: eid(30001), visitor_id: "b", session_id: sid(30001), type: "purchase", url: "https://shop.example/" }),
    collect("no-name", { event_id: eid(30002), visitor_id: "b", session_id: sid(30002), type: "custom", url: "https://shop.example/" }),
    collect("bad-url", { event_id: eid(30003), visitor_id: "", session_id: "x", type: "page_view", url: "ftp://x" }),
    collect("array", "[1,2]"),
    collect("props", { event_id: eid(30004), visitor_id: "b", session_id: sid(30004), type: "page_view", url: "https://shop.example/", properties: { a: "é".repeat(1100) } }),
    collect("nul", { event_id: eid(30005), visitor_id: "b\u0000c", session_id: sid(30005), type: "page_view", url: "https://shop.example/?utm_source=a%00b" }),
  ]));
  await collectQueueIdle(db);

  // D: batch updates of sessions created by collect.
  const collected = await rows<{ id: string; visitor_id: string; started_at: string }>(db, sql`SELECT id::text, visitor_id, started_at::text FROM sessions WHERE id::text LIKE '0000%' AND landing_url LIKE '%/c/%' ORDER BY id LIMIT 20`);
  await batch(db, "D", {
    sessions: collected.map((s, i) => ({ id: s.id, visitor_id: i % 2 ? "dv" : s.visitor_id, started_at: `2026-02-${String(1 + i).padStart(2, "0")}T08:00:00Z`, landing_url: "https://shop.example/d?utm_source=direct-mail" })),
    events: collected.map((s, i) => ({ id: eid(40000 + i), session_id: s.id, type: "add_to_cart", occurred_at: `2026-02-${String(1 + i).padStart(2, "0")}T09:00:00Z` })),
  });

  // E: hostile batch bodies.
  const hostile: [string, unknown][] = [
    ["array", []],
    ["not arrays", { sessions: 5, events: "x" }],
    ["too many", { events: Array.from({ length: 10_001 }, () => ({})) }],
    ["bad records", {
      sessions: [
        { id: "nope", visitor_id: "", started_at: "2026-02-30T00:00:00Z" },
        { id: sid(1), visitor_id: "x".repeat(65), started_at: "0001-01-01T00:30:00+01:00", country: "Ukraine", device: "fridge", utm_source: 5, landing_url: "u".repeat(4097) },
        null, [], "s",
        { id: sid(2), visitor_id: 7, started_at: 17 },
      ],
      events: [
        { id: sid(1), session_id: "x", type: "purchase", occurred_at: "yesterday" },
        { id: sid(1), session_id: sid(1), type: "custom", name: "  ", occurred_at: "2026-03-01T10:00:00Z", properties: [] },
        { id: sid(1), session_id: sid(1), type: "page_view", occurred_at: "2026-03-01T10:00:00Z", properties: { b: "é".repeat(1100) }, path: "p".repeat(2049) },
        { id: sid(1), session_id: sid(1), type: 3, name: 4, occurred_at: "2026-03-01T10:00:00" },
      ],
      orders: [{ order_id: "", total: -1, currency: "USD", status: "x" }, { total: "1" }],
    }],
  ];
  for (const [what, body] of hostile) await batch(db, `E ${what}`, body);

  // Dump (collect's "now" instants masked: compare their order, not their value).
  const dump = async (q: string) => (await rows<{ j: unknown }>(db, sql.raw(q))).map((r) => JSON.stringify(r.j));
  const isCollected = `started_at > '2026-03-02'`;
  for (const line of await dump(`SELECT json_build_object('s', s.*, 'started', CASE WHEN ${isCollected} THEN 'now' ELSE started_at::text END, 'last', CASE WHEN last_event_at > '2026-03-02' THEN 'now' ELSE last_event_at::text END) AS j FROM sessions s ORDER BY id`))
    out.push(`session ${line.replace(/"(started_at|last_event_at)":"[^"]*"/g, '"$1":"-"')}`);
  for (const line of await dump(`SELECT json_build_object('e', e.*, 'at', CASE WHEN occurred_at > '2026-03-02' THEN 'now' ELSE occurred_at::text END) AS j FROM events e ORDER BY id`))
    out.push(`event ${line.replace(/"occurred_at":"[^"]*"/g, '"occurred_at":"-"')}`);
  for (const line of await dump(`SELECT json_build_object('order_id', order_id, 'customer_id', customer_id, 'visitor_id', visitor_id, 'session_id', session_id, 'named', session_named, 'total', total, 'status', status, 'placed_at', CASE WHEN placed_at > '2026-03-02' THEN 'now' ELSE placed_at::text END, 'items', items) AS j FROM orders ORDER BY order_id`))
    out.push(`order ${line}`);
  for (const line of await dump(`SELECT row_to_json(c) AS j FROM customers c ORDER BY customer_id`)) out.push(`customer ${line}`);
  for (const line of await dump(`SELECT json_build_object('kind', kind, 'count', sum(count)) AS j FROM tracker_counters GROUP BY kind ORDER BY kind`)) out.push(`counter ${line}`);
  const text = out.join("\n") + "\n";
  writeFileSync(process.argv[2], text);
  console.log(`${out.length} lines, sha256 ${createHash("sha256").update(text).digest("hex").slice(0, 16)}`);
  if (pgUrl) await drop();
  else await handle.close();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
