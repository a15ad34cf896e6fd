import { randomBytes } from "node:crypto";
import os from "node:os";
import { Command } from "commander";
import { sql } from "drizzle-orm";
import { wholeNumber } from "@/lib/runtime/cli-options";

/**
 * `npm run bench -- [--sessions N] [--reps N] [--keep]` (SPEC 9): loads the deterministic reference
 * data set into a FRESH database (PGlite in a temp dir, or with DATABASE_URL a `utmd_bench`
 * database on that local server), then times every analytics endpoint's route handler in
 * process (period=year, plain and with one filter, p50/p95 after warm-ups) and sustained
 * /api/collect, and prints one markdown table on stdout (progress goes to stderr).
 * `--keep` leaves the database in place; `--reuse` (PostgreSQL) times again against a kept one
 * without loading, e.g. to look at a query change at 1M sessions without a 7-minute load.
 * `--loader bulk` (default with DATABASE_URL) loads the same set with COPY and rebuilds indexes after
 * (lib/demo/bulk-load.ts); `--loader ingest` (default on PGlite) goes through the batch ingestion.
 */

const program = new Command("bench")
  .option("--sessions <n>", "sessions in the reference data set", wholeNumber("--sessions", 100, 50_000_000), 1_000_000)
  .option("--reps <n>", "timed calls per endpoint and variant", wholeNumber("--reps", 1, 1000), 20)
  .option("--warmups <n>", "untimed calls before the timed ones", wholeNumber("--warmups", 0, 100), 2)
  .option("--days <n>", "days of history", wholeNumber("--days", 1, 3650), 730)
  .option("--seed <n>", "PRNG seed of the data set", wholeNumber("--seed", 1, 2 ** 31), 1)
  .option("--filter <key=value>", "the one filter of the filtered series", "utm_source=google")
  .option("--collect-seconds <n>", "duration of the collect run", wholeNumber("--collect-seconds", 1, 600), 10)
  .option("--concurrency <n>", "concurrent collect clients", wholeNumber("--concurrency", 1, 1000), 32)
  .option("--collect-url <url>", "measure collect over HTTP against this already running server (e.g. http://127.0.0.1:3300); it must use the bench database (start it with DATABASE_URL=…/<db-name> after a --keep run)")
  .option("--forward-orders <n>", "paid orders the forwarding sender drains in its part (scripts/bench-forward.ts, a database of its own); 0 skips it", wholeNumber("--forward-orders", 0, 1_000_000), 10_000)
  .option("--dashboard-url <url>", "also time /dispatcher's first load in headless Chromium on this running app (scripts/bench/dashboard-browser.ts; sign-in from ADMIN_EMAIL / ADMIN_PASSWORD)")
  .option("--dashboard-runs <n>", "timed first loads (median printed)", wholeNumber("--dashboard-runs", 1, 100), 5)
  .option("--keep", "keep the bench database afterwards", false)
  .option("--db-name <name>", "name of the PostgreSQL bench database (dropped and recreated unless --reuse)", "utmd_bench")
  .option("--reuse", "time against the kept database --db-name instead of loading a fresh one (PostgreSQL only)", false)
  .option("--loader <kind>", "how the data set is loaded: bulk (COPY, indexes rebuilt after; default on PostgreSQL) or ingest (the batch ingestion path; default on PGlite)")
  .option("--only <names>", "time only these endpoints (comma list of bench names, e.g. attribution,attribution/compare)")
  .option("--no-explain", "skip EXPLAIN ANALYZE of the slowest endpoint's main query (PostgreSQL only)")
  .parse();

type Opts = {
  sessions: number;
  reps: number;
  warmups: number;
  days: number;
  seed: number;
  filter: string;
  collectSeconds: number;
  forwardOrders: number;
  dashboardUrl?: string;
  dashboardRuns: number;
  concurrency: number;
  keep: boolean;
  reuse: boolean;
  explain: boolean;
  dbName: string;
  loader?: string;
  collectUrl?: string;
  only?: string;
};
const opts = program.opts<Opts>();
const [filterKey, ...filterRest] = opts.filter.split("=");
if (!filterKey || filterRest.length === 0) program.error("--filter must look like key=value, e.g. utm_source=google");
const filter: [string, string] = [filterKey, filterRest.join("=")];
const loader = opts.loader ?? (process.env.DATABASE_URL ? "bulk" : "ingest");
if (loader !== "bulk" && loader !== "ingest") program.error("--loader must be bulk or ingest");
let collectUrl: string | undefined;
if (opts.collectUrl) {
  try {
    collectUrl = new URL("/api/collect", opts.collectUrl).toString();
  } catch {
    program.error("--collect-url must be the server's base URL, e.g. http://127.0.0.1:3300");
  }
}
if (opts.reuse && !process.env.DATABASE_URL) program.error("--reuse needs DATABASE_URL: only a PostgreSQL bench database can be kept and reused");

// The in-process route handlers read config(); keep the bench from writing a secret into .data/.
process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { freshDatabase, existingDatabase } = await import("@/scripts/bench/database");
  const { setDbHandle, rows } = await import("@/lib/db/client");
  const { databaseBytes } = await import("@/lib/db/database-size");
  const { seedDemo } = await import("@/lib/demo/seed");
  const { bulkLoadDemo } = await import("@/lib/demo/bulk-load");
  const { AB_CAMPAIGN } = await import("@/lib/demo/catalog");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { progressBar } = await import("@/lib/runtime/progress");
  const { timeEndpoints } = await import("@/scripts/bench/timing");
  const { benchCollect } = await import("@/scripts/bench/collect");
  const { ms } = await import("@/scripts/bench/percentiles");

  const bench = opts.reuse
    ? await existingDatabase(process.env.DATABASE_URL!, opts.dbName)
    : await freshDatabase(process.env.DATABASE_URL || undefined, opts.keep, opts.dbName);
  setDbHandle(bench.handle);
  const db = bench.handle.db;
  try {
    log(`Bench database: ${bench.where}`);
    let loadMs: number | null = null;
    let loadCpuS = 0;
    if (!opts.reuse) {
      const cpu0 = process.cpuUsage();
      const bar = progressBar(`load (${loader})`, opts.sessions);
      const demo = { sessions: opts.sessions, seed: opts.seed, days: opts.days, now: new Date() };
      let phase = "load";
      const loaded =
        loader === "bulk"
          ? await bulkLoadDemo(db, {
              ...demo,
              copyUrl: bench.url,
              onProgress: (p) => {
                bar.update(p.sessionsDone);
                if (p.phase !== phase) log(`\n${(phase = p.phase) === "index" ? "building indexes" : "attributing orders, facts, customers, VACUUM ANALYZE"}`);
              },
            })
          : await seedDemo(db, { ...demo, onProgress: (p) => bar.update(p.sessionsDone) });
      bar.stop();
      loadMs = loaded.ms;
      const cpu = process.cpuUsage(cpu0);
      loadCpuS = (cpu.user + cpu.system) / 1e6;
    }
    // Fresh statistics, as autovacuum would have after a real load.
    await db.execute(sql`analyze`);
    const [size] = await rows<{ sessions: number; events: number; orders: number; paid: number; customers: number; converted: number }>(
      db,
      sql`select (select count(*) from sessions)::int as sessions, (select count(*) from events)::int as events,
                 (select count(*) from orders)::int as orders, (select count(*) from orders where status = 'paid')::int as paid,
                 (select count(*) from customers)::int as customers,
                 (select count(*) from sessions where paid_orders > 0)::int as converted`,
    );
    const bytes = await databaseBytes(db);
    if (loadMs !== null) log(`Loaded ${size.sessions} sessions in ${(loadMs / 1000).toFixed(1)} s`);

    // What `npm start` does in the background after start-up (lib/runtime/run-app.ts): the day
    // cells of the unfiltered views for two years, timed here apart from the endpoint calls.
    const { warmRollups } = await import("@/lib/analytics/rollups/warm");
    const { config } = await import("@/lib/config");
    const warmed = await warmRollups(db, config().timezone);
    log(`Rollup cells warmed: ${warmed.views} views in ${(warmed.ms / 1000).toFixed(1)} s`);
    // Statistics of the cells just written, as autovacuum would take them (it is off on this
    // machine): planned from an empty table's statistics, reading a year of cells took 2–3× longer.
    const { CACHE_TABLES } = await import("@/lib/db/schema");
    await db.execute(sql.raw(`analyze ${CACHE_TABLES.join(", ")}`));

    const { token } = await createApiToken(db, { name: "bench", scopes: ["read"] });
    const [detail] = await rows<{ id: string }>(db, sql`select id::text as id from sessions where paid_orders > 0 order by started_at desc limit 1`);
    const onlySet = opts.only ? new Set(opts.only.split(",").map((x) => x.trim())) : undefined;
    const timings = await timeEndpoints({
      token,
      period: "year",
      filter,
      reps: opts.reps,
      warmups: opts.warmups,
      sessionId: detail?.id ?? "00000000-0000-4000-8000-000000000000",
      campaign: AB_CAMPAIGN,
      only: onlySet,
      onProgress: (name) => log(`timing ${name}`),
    });
    // Realtime has its own clock (the data's last event): scripts/bench/realtime.ts.
    const { benchRealtime } = await import("@/scripts/bench/realtime");
    const live = !onlySet || onlySet.has("realtime") ? (log("timing realtime"), await benchRealtime(db, { token, filter, reps: opts.reps, warmups: opts.warmups })) : undefined;
    log(`collect: ${opts.concurrency} clients for ${opts.collectSeconds} s${collectUrl ? ` over HTTP to ${collectUrl}` : " in process"}`);
    const collect = await benchCollect(db, { concurrency: opts.concurrency, seconds: opts.collectSeconds, url: collectUrl });

    const n = (x: number) => x.toLocaleString("en-US");
    const flag = (p95: number) => (p95 >= 1000 ? " ⚠" : "");
    const out: string[] = [];
    out.push(`| what | p50 ms | p95 ms | p50 ms (${opts.filter}) | p95 ms (${opts.filter}) |`);
    out.push("|---|---:|---:|---:|---:|");
    const info = (what: string, value: string) => out.push(`| ${what} | ${value} | | | |`);
    info("database", `${bench.where.replace(/\|/g, "/")}, ${os.cpus().length} CPUs, Node ${process.version}`);
    info(
      "data set",
      `${n(size.sessions)} sessions, ${n(size.events)} events, ${n(size.orders)} orders (${n(size.paid)} paid), ` +
        `${n(size.customers)} customers, ${((100 * size.converted) / Math.max(1, size.sessions)).toFixed(2)} % converted, ` +
        `${opts.days} days; DB ${(bytes / 1024 / 1024).toFixed(0)} MB`,
    );
    info(
      "load time",
      loadMs === null
        ? "none: --reuse of a kept database"
        : `${(loadMs / 1000).toFixed(1)} s (${n(Math.round(size.sessions / Math.max(0.001, loadMs / 1000)))} sessions/s, --loader ${loader}; the bench process used ${loadCpuS.toFixed(0)} s of CPU, load average ${os.loadavg()[0].toFixed(1)} at the end)`,
    );
    info("rollup warm-up", `${warmed.views} unfiltered views (totals 2 years, the others 1) of day cells in ${(warmed.ms / 1000).toFixed(1)} s (after the load, before the calls; npm start does the same in the background)`);
    info("endpoint calls", `period=year, ${opts.reps} timed after ${opts.warmups} warm-ups (export-csv sessions: ${Math.min(opts.reps, 5)} after 1)`);
    for (const t of timings) {
      if (t.error || !t.plain || !t.filtered) {
        out.push(`| /api/utm/${t.name} | error: ${(t.error ?? "?").replace(/\|/g, "/")} | | | |`);
        continue;
      }
      out.push(
        `| /api/utm/${t.name} | ${ms(t.plain.p50)} | ${ms(t.plain.p95)}${flag(t.plain.p95)} | ${ms(t.filtered.p50)} | ${ms(t.filtered.p95)}${flag(t.filtered.p95)} |`,
      );
    }
    if (live) {
      out.push(`| /api/utm/realtime (30 min to the last event, ${live.at.toISOString()}: ${n(live.visitors)} visitors, ${n(live.events)} events) | ${ms(live.plain.p50)} | ${ms(live.plain.p95)} | ${ms(live.filtered.p50)} | ${ms(live.filtered.p95)} |`);
    }
    for (const t of timings.filter((x) => x.rssGrowthMb !== undefined)) {
      info(`${t.name} memory`, `server RSS grew at most ${t.rssGrowthMb!.toFixed(0)} MB during one full download`);
    }
    out.push(`| POST /api/collect (${collectUrl ? "HTTP" : "in process"}, ${opts.concurrency} clients, ${collect.seconds.toFixed(1)} s) | ${ms(collect.p50)} | p99 ${ms(collect.p99)} | | |`);
    info("collect throughput", `${n(Math.round(collect.eventsPerSecond))} events/s (${n(collect.accepted)} accepted of ${n(collect.sent)}, ${n(collect.failed)} refused)`);
    info("collect lost", `${n(collect.lost)} (${n(collect.stored)} stored of ${n(collect.accepted)} accepted)`);
    // Issue 22: the dashboard's first load in a browser, against the running app given.
    if (opts.dashboardUrl) {
      const { dashboardFirstLoad, firstLoadRows } = await import("@/scripts/bench/dashboard-browser");
      const email = process.env.ADMIN_EMAIL ?? "";
      const password = process.env.ADMIN_PASSWORD ?? "";
      log(`dashboard first load in Chromium: ${opts.dashboardRuns} runs against ${opts.dashboardUrl}`);
      out.push(...firstLoadRows(await dashboardFirstLoad({ url: opts.dashboardUrl, email, password, runs: opts.dashboardRuns }), ms));
    }
    // SPEC 19: order-post latency with forwarding on, and the sender's throughput.
    if (opts.forwardOrders > 0) {
      const { benchForward, forwardRows } = await import("./bench-forward");
      out.push(...forwardRows(await benchForward({ orders: opts.forwardOrders, log }), ms));
      setDbHandle(bench.handle);
    }
    process.stdout.write(`${out.join("\n")}\n`);

    if (opts.explain && bench.url) {
      const slowest = timings
        .filter((t) => t.plain && !t.name.startsWith("export-csv (sessions)"))
        .sort((a, b) => (b.plain?.p95 ?? 0) - (a.plain?.p95 ?? 0))[0];
      if (slowest) {
        const { explainSlowest } = await import("@/scripts/bench/explain");
        const ep = (await import("@/scripts/bench/endpoints")).BENCH_ENDPOINTS.find((e) => e.name === slowest.name)!;
        const sp = new URLSearchParams({ period: "year" });
        for (const [k, v] of Object.entries(ep.query ?? {})) sp.set(k, v === "{campaign}" ? AB_CAMPAIGN : v);
        const sessionId = detail?.id ?? "";
        const url = `http://bench.local/api/utm/${ep.path.replace("{id}", sessionId)}?${sp}`;
        const explained = await explainSlowest(
          bench.url,
          slowest.name,
          async (handler) => {
            const res = await handler(new Request(url, { headers: { authorization: `Bearer ${token}` } }), {
              params: Promise.resolve(ep.params?.({ sessionId }) ?? {}),
            });
            await res.arrayBuffer();
          },
          (h) => setDbHandle(h ?? bench.handle),
        );
        if (explained) {
          process.stdout.write(
            `\nSlowest endpoint (p95, plain): /api/utm/${explained.endpoint}; its slowest statement, EXPLAIN (ANALYZE, BUFFERS):\n\n` +
              "```sql\n" + explained.query + "\n```\n\n```\n" + explained.plan + "\n```\n",
          );
        }
      }
    }
    if (opts.keep || opts.reuse) log(`Kept the bench database: ${bench.where}`);
  } finally {
    setDbHandle(undefined);
    await bench.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
