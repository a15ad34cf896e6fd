/**
 * Sign-in attempt budgets (SPEC 10, 16): 10 a minute per e-mail + client address, and 100 an hour
 * per e-mail whatever the address (so rotating addresses buys nothing past 100 an hour). Sliding
 * windows in memory: the app is one process; a restart forgetting attempts is acceptable.
 * Refused attempts are not counted, so a client that waits gets its budget back on time.
 */

export const SIGN_IN_LIMITS = {
  perAddress: { windowMs: 60_000, limit: 10 },
  perEmail: { windowMs: 3_600_000, limit: 100 },
} as const;

export type SignInVerdict = { allowed: true } | { allowed: false; retryAfter: number };

const perAddress = new Map<string, number[]>();
const perEmail = new Map<string, number[]>();

function recent(map: Map<string, number[]>, key: string, windowMs: number, now: number): number[] {
  const kept = (map.get(key) ?? []).filter((t) => now - t < windowMs);
  if (kept.length) map.set(key, kept);
  else map.delete(key);
  return kept;
}

/** Seconds until the oldest counted attempt leaves its window (at least 1). */
const waitFor = (times: number[], windowMs: number, now: number) => Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000));

function prune(map: Map<string, number[]>, windowMs: number, now: number): void {
  if (map.size <= 10_000) return;
  for (const [k, ts] of map) if (ts.every((t) => now - t >= windowMs)) map.delete(k);
}

/**
 * Counts one attempt for `email` (as the sign-in reads it, normalised) from `address`, or refuses
 * it with the seconds to wait.
 */
export function signInAttempt(email: string, address: string, now = Date.now()): SignInVerdict {
  const { perAddress: a, perEmail: e } = SIGN_IN_LIMITS;
  const addrKey = `${email}\u0000${address}`;
  const byAddress = recent(perAddress, addrKey, a.windowMs, now);
  const byEmail = recent(perEmail, email, e.windowMs, now);
  const waits: number[] = [];
  if (byAddress.length >= a.limit) waits.push(waitFor(byAddress, a.windowMs, now));
  if (byEmail.length >= e.limit) waits.push(waitFor(byEmail.slice(byEmail.length - e.limit), e.windowMs, now));
  if (waits.length) return { allowed: false, retryAfter: Math.max(...waits) };
  perAddress.set(addrKey, [...byAddress, now]);
  perEmail.set(email, [...byEmail, now]);
  prune(perAddress, a.windowMs, now);
  prune(perEmail, e.windowMs, now);
  return { allowed: true };
}

/** Tests: forget every attempt. */
export function resetSignInAttempts(): void {
  perAddress.clear();
  perEmail.clear();
}
