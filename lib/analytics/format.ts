/**
 * Rounding happens only here, at the answer edge (SPEC 3.5). Report functions compute with
 * unrounded numbers and pass each figure through one of these when building the answer.
 */

/** Half away from zero to 2 decimals, without binary-float surprises (1.005 → 1.01). */
export function round2(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const sign = x < 0 ? -1 : 1;
  const r = Math.round(Number(`${Math.abs(x)}e2`));
  const out = sign * Number(`${r}e-2`);
  return Object.is(out, -0) ? 0 : out;
}

/** A percentage 0–100 of num/den; 0 when the denominator is 0. */
export function pct(num: number, den: number): number {
  return den === 0 ? 0 : round2((num / den) * 100);
}

/** A ratio (avg_page_views, aov, revenue_per_session, ...) with 2 decimals; 0 when den is 0. */
export function ratio(num: number, den: number): number {
  return den === 0 ? 0 : round2(num / den);
}

/** A ratio that is `null` when its divisor is 0 (roi, roas, cpa: SPEC 4). */
export function ratioOrNull(num: number, den: number): number | null {
  return den === 0 ? null : round2(num / den);
}

/** Money with 2 decimals. */
export const money = (x: number): number => round2(x);

/** Relative change in percent from unrounded values; `null` against 0 (SPEC 3.5). */
export function change(current: number, previous: number): number | null {
  return previous === 0 ? null : round2(((current - previous) / previous) * 100);
}
