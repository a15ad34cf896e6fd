import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";

/**
 * Writes of ad_spend (cost imports, the campaign map re-applied to stored spend) run one at a time
 * (SPEC 21): 50 overlapping cost files at once upserted the same keys in different orders and
 * deadlocked (500), and each waiting transaction held a pooled connection until the pool's wait
 * ran out (503). In this process they queue before taking a connection; across processes (npm
 * start's workers, the CLI) a transaction-scoped advisory lock orders them.
 */

/** pg_advisory_xact_lock key of ad_spend writes ('utmd:ad_spend' as a fixed 32-bit number). */
const SPEND_LOCK_KEY = 0x75746d64;

let tail: Promise<unknown> = Promise.resolve();

export function withSpendWriteLock<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const run = tail.then(() =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SPEND_LOCK_KEY})`);
      return fn(tx as unknown as Db);
    }),
  );
  // The next write waits for this one whether it succeeds or fails.
  tail = run.catch(() => undefined);
  return run;
}
