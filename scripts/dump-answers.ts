import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { sql } from "drizzle-orm";
import { wholeNumber } from "@/lib/runtime/cli-options";

/**
 * `npm run dump-answers -- --out <dir>` (issue 11): the answer of every analytics endpoint on the
 * demo data, one file per call, so a refactor can be checked byte for byte with `diff -r`:
 *   npm run dump-answers -- --out /tmp/answers-before   # on the old commit
 *   npm run dump-answers -- --out /tmp/answers-after    # on the new one
 *   diff -r /tmp/answers-before /tmp/answers-after
 * A fresh in-memory PGlite (or, with DATABASE_URL, a scratch database `utmd_dump` on that local
 * server) is seeded through the ingestion path with a fixed seed and a fixed "now"; every request
 * is parsed with that same fixed now (lib/clock.ts), so the answers do not depend on the day the
 * script runs. Each endpoint of lib/bench/endpoints.ts is called through its real route handler
 * with a read token, with several parameter sets; then every CSV export. `_index.tsv` lists each
 * call with its status, content type and content disposition.
 */

const program = new Command("dump-answers")
  .requiredOption("--out <dir>", "directory to write the answers to (created)")
  .option("--sessions <n>", "sessions in the demo data set", wholeNumber("--sessions", 100, 1_000_000), 4000)
  .option("--days <n>", "days of history", wholeNumber("--days", 1, 3650), 400)
  .option("--seed <n>", "PRNG seed of the data set", wholeNumber("--seed", 1, 2 ** 31), 7)
  .option("--now <iso>", "the fixed clock (an ISO instant)", "2026-06-15T10:30:00.000Z")
  .parse();

type Opts = { out: string; sessions: number; days: number; seed: number; now: string };
const opts = program.opts<Opts>();
const fixedNow = new Date(opts.now);
if (Number.isNaN(fixedNow.getTime())) program.error("--now must be an ISO instant, e.g. 2026-06-15T10:30:00Z");

// The in-process route handlers read config(): no secret written to .data/, no replica.
process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
delete process.env.DATABASE_READ_URL;

/** The parameter sets every report is called with (besides its own `query`). */
const VARIANTS: Record<string, Record<string, string>> = {
  default: {},
  year: { period: "year" },
  filter: { period: "year", utm_source: "google" },
  not: { period: "quarter", not_device: "mobile", utm_medium: "cpc" },
  custom: { start_date: "2026-03-01", end_date: "2026-03-31" },
};

const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "");

async function main(): Promise<void> {
  const { setFixedNow } = await import("@/lib/clock");
  const { freshDatabase } = await import("@/lib/bench/database");
  const { setDbHandle, rows } = await import("@/lib/db/client");
  const { seedDemo } = await import("@/lib/demo/seed");
  const { AB_CAMPAIGN } = await import("@/lib/demo/catalog");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { BENCH_ENDPOINTS } = await import("@/lib/bench/endpoints");
  const { EXPORT_REPORTS } = await import("@/lib/analytics/export-csv");

  setFixedNow(fixedNow);
  const dump = await freshDatabase(process.env.DATABASE_URL || undefined, false, "utmd_dump");
  setDbHandle(dump.handle);
  const db = dump.handle.db;
  const index: string[] = [];
  try {
    process.stderr.write(`Dump database: ${dump.where}\n`);
    const seeded = await seedDemo(db, { sessions: opts.sessions, seed: opts.seed, days: opts.days, now: fixedNow });
    process.stderr.write(`Seeded ${seeded.sessions} sessions, ${seeded.orders} orders\n`);
    await db.execute(sql`analyze`);
    const { token } = await createApiToken(db, { name: "dump", scopes: ["read"] });
    const [detail] = await rows<{ id: string }>(
      db,
      sql`select id::text as id from sessions where paid_orders > 0 order by started_at desc, id limit 1`,
    );
    const sessionId = detail?.id ?? "00000000-0000-4000-8000-000000000000";
    mkdirSync(opts.out, { recursive: true });

    type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const call = async (file: string, handler: Handler, url: string, params: Record<string, string>) => {
      const res = await handler(new Request(url, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve(params),
      });
      const body = await res.text();
      const type = res.headers.get("content-type") ?? "";
      writeFileSync(path.join(opts.out, file + (type.startsWith("text/csv") ? ".csv" : ".json")), body);
      index.push([file, res.status, type, res.headers.get("content-disposition") ?? ""].join("\t"));
    };

    for (const ep of BENCH_ENDPOINTS) {
      const handler = (await ep.load()).GET as Handler;
      for (const [variant, extra] of Object.entries(VARIANTS)) {
        const sp = new URLSearchParams(extra);
        for (const [k, v] of Object.entries(ep.query ?? {})) sp.set(k, v === "{campaign}" ? AB_CAMPAIGN : v);
        const url = `http://dump.local/api/utm/${ep.path.replace("{id}", sessionId)}?${sp}`;
        await call(`${slug(ep.name)}__${variant}`, handler, url, ep.params?.({ sessionId }) ?? {});
      }
      process.stderr.write(`${ep.name}\n`);
    }
    const exportHandler = (await import("@/app/api/utm/export-csv/route")).GET as Handler;
    for (const report of EXPORT_REPORTS) {
      for (const variant of ["default", "year", "not"]) {
        const sp = new URLSearchParams({ report, ...VARIANTS[variant] });
        await call(`export_${slug(report)}__${variant}`, exportHandler, `http://dump.local/api/utm/export-csv?${sp}`, {});
      }
    }
    writeFileSync(path.join(opts.out, "_index.tsv"), index.sort().join("\n") + "\n");
    process.stderr.write(`${index.length} answers written to ${opts.out}\n`);
  } finally {
    setDbHandle(undefined);
    setFixedNow(undefined);
    await dump.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
