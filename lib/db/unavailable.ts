import { PgliteBusyError } from "./pglite-owner";

/** Error codes of both drivers that mean "the database cannot be reached right now". */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "57014", // query_canceled: the app's statement_timeout (SPEC 16), a database too slow to answer
  "55P03", // lock_not_available: lock_timeout
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** True when the error means "the database cannot be reached right now", on either driver. */
export function isDbUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof PgliteBusyError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some(isDbUnavailable)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}


/**
 * Forget the last healthy probe of lib/db/health.ts: called wherever an unavailable-database error
 * is seen, so dashboard pages switch to the 503 page at once instead of after the memo expires.
 */
export function noteDatabaseUnavailable(): void {
  (globalThis as unknown as { __utmdDbHealthyAt?: number }).__utmdDbHealthyAt = undefined;
}
