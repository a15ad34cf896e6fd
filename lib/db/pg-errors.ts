/**
 * The one classification of database error codes (SQLSTATE on PostgreSQL and PGlite, errno-style
 * codes from postgres.js and Node): drizzle wraps driver errors, so every test walks the `cause`
 * chain. lib/db/unavailable.ts answers "cannot be reached right now" from the same walk.
 */

/** Every string `code` on the error and its causes, outermost first. */
export function errorCodes(err: unknown, depth = 5): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < depth; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") out.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** unique_violation: a row with that key exists. */
export const isUniqueViolation = (err: unknown): boolean => errorCodes(err).includes("23505");

/** foreign_key_violation: the referenced row is gone (e.g. an evicted rollup view). */
export const isForeignKeyViolation = (err: unknown): boolean => errorCodes(err).includes("23503");

/** deadlock_detected, serialization_failure: the transaction may simply be run again. */
export const isRetryableConflict = (err: unknown): boolean => errorCodes(err).some((c) => c === "40P01" || c === "40001");

/** Classes 22 (data exception), 23 (integrity constraint), 54 (program limit): bad input, not a fault. */
export const isDataError = (err: unknown): boolean => errorCodes(err).some((c) => /^(22|23|54)[0-9A-Z]{3}$/.test(c));

/** Codes of both drivers that mean "the database cannot be reached right now". */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
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

/** query_canceled: a statement stopped by statement_timeout (SPEC 21), not a database that is down. */
export const isStatementTimeout = (err: unknown): boolean => errorCodes(err).includes("57014");
