import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
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
 * script runs (scripts/answers/collect.ts). Each endpoint of scripts/bench/endpoints.ts is called through its real route handler
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

async function main(): Promise<void> {
  const { freshDatabase } = await import("@/scripts/bench/database");
  const { setDbHandle } = await import("@/lib/db/client");
  const { collectAnswers } = await import("./answers/collect");

  const dump = await freshDatabase(process.env.DATABASE_URL || undefined, false, "utmd_dump");
  setDbHandle(dump.handle);
  try {
    process.stderr.write(`Dump database: ${dump.where}\n`);
    const answers = await collectAnswers(dump.handle.db, {
      sessions: opts.sessions,
      days: opts.days,
      seed: opts.seed,
      now: fixedNow,
      onEndpoint: (name) => process.stderr.write(`${name}\n`),
    });
    mkdirSync(opts.out, { recursive: true });
    const index: string[] = [];
    for (const [file, a] of answers) {
      writeFileSync(path.join(opts.out, file + (a.type.startsWith("text/csv") ? ".csv" : ".json")), a.body);
      index.push([file, a.status, a.type, a.disposition].join("\t"));
    }
    writeFileSync(path.join(opts.out, "_index.tsv"), index.sort().join("\n") + "\n");
    process.stderr.write(`${index.length} answers written to ${opts.out}\n`);
  } finally {
    setDbHandle(undefined);
    await dump.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
