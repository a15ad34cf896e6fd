/**
 * Sign-in attempts per email+IP in a sliding minute (SPEC 10: 429 after 10 a minute). In memory:
 * the app is one process; a restart forgetting attempts is acceptable for this budget.
 */
const WINDOW_MS = 60_000;
const LIMIT = 10;
const attempts = new Map<string, number[]>();

export function signInAllowed(key: string, now = Date.now()): boolean {
  const recent = (attempts.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= LIMIT) {
    attempts.set(key, recent);
    return false;
  }
  recent.push(now);
  attempts.set(key, recent);
  if (attempts.size > 10_000) {
    for (const [k, ts] of attempts) if (ts.every((t) => now - t >= WINDOW_MS)) attempts.delete(k);
  }
  return true;
}
