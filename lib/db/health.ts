import { sql } from "drizzle-orm";
import { getDb } from "./client";
import { isDbUnavailable } from "./unavailable";

/**
 * Whether the database answers now (SPEC 16: pages show a "database unavailable" page with status
 * 503). A success is remembered for HEALTHY_MEMO_MS so pages cost no extra round trip while the
 * database is well; a probe never waits longer than PROBE_TIMEOUT_MS.
 */

const HEALTHY_MEMO_MS = 2_000;
export const PROBE_TIMEOUT_MS = 3_500;

const state = globalThis as unknown as { __utmdDbHealthyAt?: number };

export function noteDatabaseHealthy(now = Date.now()): void {
  state.__utmdDbHealthyAt = now;
}

export async function databaseReachable(now = Date.now()): Promise<boolean> {
  if (state.__utmdDbHealthyAt !== undefined && now - state.__utmdDbHealthyAt < HEALTHY_MEMO_MS) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), PROBE_TIMEOUT_MS);
  });
  try {
    const got = await Promise.race([(async () => (await getDb()).execute(sql`select 1`))(), timeout]);
    if (got === "timeout") return false;
    noteDatabaseHealthy();
    return true;
  } catch (err) {
    if (isDbUnavailable(err)) return false;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
