import { UNAVAILABLE_CODES } from "./pg-errors";
import { PgliteBusyError } from "./pglite-owner";

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
