import { databaseBytes } from "@/lib/db/database-size";
import { DEFAULT_DEMO_SESSIONS, seedDemo } from "@/lib/demo/seed";
import { wholeNumber } from "@/lib/runtime/cli-options";
import { progressBar } from "@/lib/runtime/progress";
import { action, stdout, withDb, type CliCommand } from "../context";

export const seedDemoCommand: CliCommand = (program) => {
  program
    .command("seed-demo")
    .description("load deterministic demo data through the ingestion code (same seed → same data)")
    .option("--sessions <n>", "number of sessions", wholeNumber("--sessions", 1, 50_000_000), DEFAULT_DEMO_SESSIONS)
    .option("--seed <s>", "PRNG seed", wholeNumber("--seed", 1, 2 ** 31), 1)
    .option("--days <d>", "days of history up to today", wholeNumber("--days", 1, 3650), 180)
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
            const mb = (await databaseBytes(db)) / 1048576;
            stdout(`Database size now: ${Math.round(mb).toLocaleString("en-US")} MB.`);
          } finally {
            bar.stop();
          }
        });
      }),
    );
};
