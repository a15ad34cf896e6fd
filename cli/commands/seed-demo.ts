import { InvalidArgumentError } from "commander";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { DEFAULT_DEMO_SESSIONS, seedDemo } from "@/lib/demo/seed";
import { progressBar } from "@/lib/runtime/progress";
import { action, stdout, withDb, type CliCommand } from "../context";

const positiveInt = (name: string, max: number) => (v: string) => {
  const n = Number(v.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
  return n;
};

export const seedDemoCommand: CliCommand = (program) => {
  program
    .command("seed-demo")
    .description("load deterministic demo data through the ingestion code (same seed → same data)")
    .option("--sessions <n>", "number of sessions", positiveInt("--sessions", 50_000_000), DEFAULT_DEMO_SESSIONS)
    .option("--seed <s>", "PRNG seed", positiveInt("--seed", 2 ** 31), 1)
    .option("--days <d>", "days of history up to today", positiveInt("--days", 3650), 180)
    .action(
      action(async (opts: { sessions: number; seed: number; days: number }) => {
        await withDb(async (db, handle) => {
          stdout(`Seeding ${opts.sessions.toLocaleString("en-US")} sessions over ${opts.days} days (seed ${opts.seed}) into ${handle.description}...`);
          const bar = progressBar("seed-demo", opts.sessions);
          try {
            const res = await seedDemo(db, { ...opts, onProgress: (p) => bar.update(p.sessionsDone) });
            bar.stop();
            const s = res.ms / 1000;
            stdout(
              `Stored ${res.sessions} sessions, ${res.events} events, ${res.orders} orders, ${res.adSpendRows} ad-spend rows ` +
                `in ${s.toFixed(1)} s (${Math.round(res.sessions / Math.max(s, 0.001)).toLocaleString("en-US")} sessions/s).`,
            );
            const [size] = await rows<{ mb: number }>(db, sql`select pg_database_size(current_database())::float8 / 1048576 as mb`);
            stdout(`Database size now: ${Math.round(size?.mb ?? 0).toLocaleString("en-US")} MB.`);
          } finally {
            bar.stop();
          }
        });
      }),
    );
};
