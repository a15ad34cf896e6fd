import type { DbHandle } from "@/lib/db/client";
import { upkeep, type TableUpkeep } from "@/lib/db/upkeep";

/**
 * The autovacuum PGlite lacks (lib/db/upkeep.ts), run by the process that owns it: one pass
 * at once and then every `everyMs`, on a connection of its own through the app's socket (a VACUUM
 * cannot run inside another client's open transaction). Looking is one catalogue query; work is
 * done only where autovacuum's thresholds are passed. A failed pass is logged and the loop goes
 * on; stop() waits for a running pass, so the database is never closed under a VACUUM.
 */

/**
 * How often the tables are looked at. PostgreSQL's autovacuum_naptime is 60 s, but collect on a
 * fresh database lost two thirds of its speed within 35 s without statistics.
 */
export const UPKEEP_EVERY_MS = 10_000;
/** A pass that took longer than this is logged (it held the embedded database's one backend). */
const LOG_PASSES_OVER_MS = 1_000;

export type UpkeepLoop = {
  stop: () => Promise<void>;
  /** Resolves with what the pass running now, or else the next one, did (tests). */
  nextPass: () => Promise<TableUpkeep[]>;
};

export function startUpkeep(open: () => Promise<DbHandle>, opts: { everyMs?: number; log: (line: string) => void }): UpkeepLoop {
  const everyMs = opts.everyMs ?? UPKEEP_EVERY_MS;
  let handle: DbHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  const waiting: ((done: TableUpkeep[]) => void)[] = [];

  const pass = async () => {
    const t0 = performance.now();
    let done: TableUpkeep[] = [];
    try {
      handle ??= await open();
      done = await upkeep(handle.db);
      failing = false;
      const ms = performance.now() - t0;
      if (ms > LOG_PASSES_OVER_MS) opts.log(`database upkeep: ${done.map(describe).join(", ")} (${(ms / 1000).toFixed(1)} s)`);
    } catch (err) {
      // Once per run of failures: a database that is down says so elsewhere.
      if (!failing && !stopped) opts.log(`database upkeep failed: ${(err as Error).message} (tried again in ${everyMs / 1000} s)`);
      failing = true;
    }
    for (const resolve of waiting.splice(0)) resolve(done);
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined;
        schedule(everyMs);
      });
    }, ms);
    timer.unref();
  };
  schedule(0);

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await handle?.close().catch(() => {});
      for (const resolve of waiting.splice(0)) resolve([]);
    },
    nextPass: () => new Promise<TableUpkeep[]>((resolve) => waiting.push(resolve)),
  };
}

function describe(t: TableUpkeep): string {
  return `${t.vacuum ? (t.analyze ? "VACUUM ANALYZE" : "VACUUM") : "ANALYZE"} ${t.table}`;
}
