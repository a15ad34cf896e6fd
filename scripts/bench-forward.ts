import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";

/**
 * The forwarding part of `npm run bench` (SPEC 19, docs/forwarding.md), runnable alone:
 * `npx tsx scripts/bench-forward.ts [--orders N]` (PGlite in a temp dir, or DATABASE_URL's server).
 * In a fresh database of its own, so the reference data set stays as loaded:
 *  - the added latency of `POST /api/ingest/orders` (one order, in process, sequential) with all
 *    three destinations configured against without any (blocks of each in turn), p50/p95;
 *  - the sender's throughput: N queued paid orders drained to a local stand-in platform that
 *    answers 200 at once (the bench's, not the app's: it measures our side only), events/s.
 */

export type ForwardBench = {
  where: string;
  /** The machine's 1-minute load average at the end (other work on the machine shows in the figures). */
  load: number;
  latency: { off: { p50: number; p95: number }; on: { p50: number; p95: number }; enqueue: { p50: number; p95: number }; calls: number };
  throughput: { events: number; seconds: number; eventsPerSecond: number; requests: number };
};

export async function benchForward(opts: { orders?: number; calls?: number; log?: (line: string) => void } = {}): Promise<ForwardBench> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const orders = opts.orders ?? 10_000;
  const calls = opts.calls ?? 200;
  // A platform that accepts everything at once (Meta's and TikTok's success bodies, Google's token too).
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url === "/token" ? JSON.stringify({ access_token: "bench", expires_in: 3600 }) : JSON.stringify({ code: 0, events_received: 1 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const saved = { ...process.env };
  Object.assign(process.env, { META_GRAPH_URL: `${base}/meta`, TIKTOK_API_URL: `${base}/tiktok`, GOOGLE_DATAMANAGER_URL: `${base}/google`, GOOGLE_TOKEN_URL: `${base}/token`, FORWARD_REQUIRE_CONSENT: "0" });
  const { resetConfig } = await import("@/lib/config");
  resetConfig();
  const { freshDatabase } = await import("@/scripts/bench/database");
  const { setDbHandle, rows } = await import("@/lib/db/client");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { saveDestination } = await import("@/lib/forwarding/destinations");
  const { forwardPass } = await import("@/lib/forwarding/sender");
  const { percentile } = await import("@/scripts/bench/percentiles");
  const { POST } = await import("@/app/api/ingest/orders/route");
  const { enqueueForwarding } = await import("@/lib/forwarding/enqueue");
  const { inTransaction } = await import("@/lib/ingest/sql-util");
  const os = await import("node:os");
  const { generateKeyPairSync } = await import("node:crypto");
  const bench = await freshDatabase(process.env.DATABASE_URL || undefined, false, "utmd_bench_forward");
  try {
    const db = bench.handle.db;
    setDbHandle(bench.handle);
    const { token } = await createApiToken(db, { name: "bench", scopes: ["ingest"] });
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await saveDestination(db, "meta", { pixel_id: "1234567890123", access_token: "bench-meta-token-0123456789" });
    await saveDestination(db, "google", { customer_id: "1234567890", conversion_action: "1", service_account_key: JSON.stringify({ client_email: "b@x.iam.gserviceaccount.com", private_key: key }) });
    await saveDestination(db, "tiktok", { pixel_code: "C4BENCH0000000", access_token: "bench-tiktok-token-0123456789" });
    const post = async (body: unknown) => {
      const req = new Request("http://bench.local/api/ingest/orders", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      const res = await (POST as unknown as (r: Request, c: { params: Promise<object> }) => Promise<Response>)(req, { params: Promise.resolve({}) });
      if (res.status !== 200) throw new Error(`order post answered ${res.status}: ${await res.text()}`);
    };
    const setForwarding = (on: boolean) => db.execute(sql`UPDATE forward_destinations SET enabled = ${on}`);

    log(`forwarding: ${calls} order posts each with and without forwarding`);
    const off: number[] = [];
    const on: number[] = [];
    let seq = 0;
    const placed = new Date().toISOString();
    for (let warm = 0; warm < 40; warm++) await post({ order_id: `warm-${warm}`, total: 10, placed_at: placed });
    for (let block = 0; block < (calls * 2) / 25; block++) {
      const forwarding = block % 2 === 1;
      await setForwarding(forwarding);
      for (let i = 0; i < 25; i++) {
        const t0 = performance.now();
        await post({ order_id: `lat-${seq++}`, total: 19.99, currency: "EUR", placed_at: placed, email: `buyer${seq}@example.com` });
        (forwarding ? on : off).push(performance.now() - t0);
      }
    }
    // The added work alone, free of the rest of the post's noise: the outbox statement, for orders stored already (their rows removed first), 3 destinations.
    await setForwarding(true);
    await db.execute(sql`DELETE FROM forward_outbox`);
    // One open transaction: the order's commit happens with or without forwarding, the statement is what is added.
    const enqueue: number[] = [];
    await inTransaction(db, async (tx) => {
      for (let i = 0; i < seq; i++) {
        const t1 = performance.now();
        await enqueueForwarding(tx, [`lat-${i}`]);
        enqueue.push(performance.now() - t1);
      }
    });
    // Only Meta for the throughput run: one destination's sender, N events.
    await db.execute(sql`DELETE FROM forward_outbox`);
    await db.execute(sql`UPDATE forward_destinations SET enabled = (destination = 'meta')`);
    log(`forwarding: queueing ${orders.toLocaleString("en-US")} paid orders`);
    for (let i = 0; i < orders; i += 1000) {
      await post(Array.from({ length: Math.min(1000, orders - i) }, (_, j) => ({ order_id: `tp-${i + j}`, total: 5, placed_at: placed })));
    }
    requests = 0;
    log("forwarding: draining the outbox");
    const t0 = performance.now();
    let sent = 0;
    for (;;) {
      const r = await forwardPass(db, { now: () => new Date(Date.now() + 5000) });
      sent += r.sent;
      if (r.sent + r.retried + r.failed + r.skipped === 0) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const [left] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM forward_outbox WHERE status <> 'sent'`);
    if (left.n !== 0) throw new Error(`${left.n} outbox rows not sent`);
    const pct = (v: number[]) => ({ p50: percentile(v, 50), p95: percentile(v, 95) });
    return { where: bench.where, load: os.loadavg()[0], latency: { off: pct(off), on: pct(on), enqueue: pct(enqueue), calls }, throughput: { events: sent, seconds, eventsPerSecond: sent / seconds, requests } };
  } finally {
    setDbHandle(undefined);
    await bench.drop();
    server.close();
    for (const k of ["META_GRAPH_URL", "TIKTOK_API_URL", "GOOGLE_DATAMANAGER_URL", "GOOGLE_TOKEN_URL", "FORWARD_REQUIRE_CONSENT"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetConfig();
  }
}

/** The bench table's rows for it (same columns as scripts/bench.ts's table). */
export function forwardRows(r: ForwardBench, ms: (x: number) => string): string[] {
  const added = r.latency.on.p95 - r.latency.off.p95;
  return [
    `| POST /api/ingest/orders, forwarding off (1 order, ${r.latency.calls} calls) | ${ms(r.latency.off.p50)} | ${ms(r.latency.off.p95)} | | |`,
    `| POST /api/ingest/orders, forwarding to 3 destinations (1 order, ${r.latency.calls} calls) | ${ms(r.latency.on.p50)} | ${ms(r.latency.on.p95)} | | |`,
    `| forwarding: added order-post latency | p95 ${added >= 0 ? "+" : ""}${ms(added)} ms on − off (target < 5 ms; load average ${r.load.toFixed(1)}) | | | |`,
    `| forwarding: the outbox statement alone (3 destinations, in the order's transaction) | ${ms(r.latency.enqueue.p50)} | ${ms(r.latency.enqueue.p95)} | | |`,
    `| forwarding: sender throughput | ${Math.round(r.throughput.eventsPerSecond).toLocaleString("en-US")} events/s (${r.throughput.events.toLocaleString("en-US")} events in ${r.throughput.seconds.toFixed(1)} s, ${r.throughput.requests} requests, ${r.where.replace(/\|/g, "/")}) | | | |`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--orders");
  const orders = i > 0 ? Number(process.argv[i + 1]) : 10_000;
  if (!Number.isInteger(orders) || orders < 1 || orders > 1_000_000) {
    process.stderr.write("--orders must be a whole number from 1 to 1000000\n");
    process.exit(2);
  }
  const { ms } = await import("@/scripts/bench/percentiles");
  const r = await benchForward({ orders });
  process.stdout.write(["| what | p50 ms | p95 ms | | |", "|---|---:|---:|---:|---:|", ...forwardRows(r, ms)].join("\n") + "\n");
  process.exit(0);
}
