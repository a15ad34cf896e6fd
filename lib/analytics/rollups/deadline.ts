import { AsyncLocalStorage } from "node:async_hooks";
import { unavailable } from "@/lib/errors";

/**
 * SPEC 21: no request holds the event loop or the database longer than STATEMENT_TIMEOUT_MS. A
 * report over a long range first computes the day cells it lacks, a week per statement; under a
 * deadline (set by the edge for each request) it stops between two statements once the time is
 * up and answers 503 with Retry-After. The cells computed so far are committed, so asking again
 * goes on where it stopped instead of starting over. Outside a deadline (warm-up, CLI, tests)
 * the cells are computed to the end.
 */

const current = new AsyncLocalStorage<{ until: number; ms: number }>();

/** Runs `fn` with the day-cell refreshes it starts bounded to `ms` from now. */
export function withRefreshDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return current.run({ until: Date.now() + ms, ms }, fn);
}

/** Seconds a client is told to wait before asking again for a report still being prepared. */
export const PREPARING_RETRY_AFTER_S = 2;

/** Throws the 503 when the current request's deadline has passed (call between two statements). */
export function checkRefreshDeadline(done: number, total: number): void {
  const d = current.getStore();
  if (!d || Date.now() < d.until) return;
  throw unavailable(
    `This report needs more than ${d.ms} ms (STATEMENT_TIMEOUT_MS) to prepare its range: ${done} of the ${total} days it lacked are now prepared and kept; ask again in a moment or choose a shorter range`,
    PREPARING_RETRY_AFTER_S,
  );
}

/**
 * Lets the event loop serve other requests between two statements. PGlite runs a statement
 * synchronously and resolves its promise as a microtask, so a loop of awaited statements never
 * gave sign-in or collect a turn (700 day cells: the loop held for 7 s); a macrotask turn does.
 */
export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
