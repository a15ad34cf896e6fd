/**
 * Pure statistics of the A/B report (SPEC 5.4): the standard normal CDF and quantile, the pooled
 * two-proportion z-test, Bayesian probability-to-be-best and the sample size per variant.
 * Everything here is deterministic: same input, same output (no sampling).
 */

const LN_SQRT_2PI = 0.9189385332046727; // ln(sqrt(2π))

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LN_SQRT_2PI);
}

/**
 * Upper tail Q(x) = 1 − Φ(x) for x > 0 by the classical continued fraction
 * Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), evaluated with modified Lentz; it converges
 * fast for x ≥ 3, where the Taylor series below starts to lose relative precision in the tail.
 */
function upperTailCf(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = x + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return normalPdf(x) / f;
}

/**
 * Φ(x), accurate to about 1e-15 absolute. For |x| < 3: Marsaglia's Taylor series
 * Φ(x) = 1/2 + φ(x)·(x + x³/3 + x⁵/(3·5) + ...) (J. Stat. Software 11(4), 2004), whose terms are
 * all positive so nothing cancels; beyond, the continued fraction of the tail. (Abramowitz–Stegun
 * 7.1.26 is only good to ~1e-7, too coarse for a confidence shown with 2 decimals near 95.)
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 3) return x > 40 ? 1 : 1 - upperTailCf(x);
  if (x <= -3) return x < -40 ? 0 : upperTailCf(-x);
  let s = x;
  let term = x;
  const q = x * x;
  for (let i = 3; i < 400; i += 2) {
    term *= q / i;
    const next = s + term;
    if (next === s) break;
    s = next;
  }
  return 0.5 + s * normalPdf(x);
}

// P. J. Acklam's rational approximation of the normal quantile (relative error < 1.15e-9),
// refined below with one Halley step on normalCdf to full double precision.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Φ⁻¹(p) for 0 < p < 1 (±Infinity at 0 and 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // Halley refinement: e = Φ(x) − p, u = e/φ(x), x ← x − u/(1 + x·u/2).
  const e = normalCdf(x) - p;
  const u = e / normalPdf(x);
  return x - u / (1 + (x * u) / 2);
}

export type ZTest = { z: number; confidence: number };

/**
 * Two-sided pooled two-proportion z-test (SPEC 5.4): z = (p1−p2)/sqrt(p(1−p)(1/n1+1/n2)),
 * p = (x1+x2)/(n1+n2), confidence = (2Φ(|z|)−1)·100, unrounded. A zero standard error (both
 * rates 0 or both 100 %) means there is no evidence of a difference: z = 0, confidence 0.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest {
  if (n1 <= 0 || n2 <= 0) return { z: 0, confidence: 0 };
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, confidence: 0 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, confidence: (2 * normalCdf(Math.abs(z)) - 1) * 100 };
}

/**
 * Sessions per variant to detect p1 against p2 (fractions) at 95 % two-sided and 80 % power
 * (SPEC 5.4): n = ceil((z.975·sqrt(2p̄(1−p̄)) + z.8·sqrt(p1(1−p1)+p2(1−p2)))² / (p1−p2)²).
 * `null` when the rates are equal (no lift to detect).
 */
export function sampleSizePerVariant(p1: number, p2: number, alpha = 0.05, power = 0.8): number | null {
  if (p1 === p2) return null;
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const pBar = (p1 + p2) / 2;
  const num = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  // Rounded to 9 decimals before ceil so a float hair above an integer does not add a session.
  return Math.ceil(Number(((num * num) / ((p1 - p2) * (p1 - p2))).toFixed(9)));
}

export type Arm = { conversions: number; sessions: number };

/**
 * Probability (0–1 each, summing to 1) that each arm has the highest conversion rate under
 * independent Beta(1+x, 1+n−x) posteriors: P(i best) = ∫ Π_{j≠i} F_j dF_i.
 *
 * Deterministic numerical integration instead of Monte Carlo: a grid that is dense (GRID_PER_ARM
 * points over mean ± 12 sd) around every posterior's mass plus a coarse grid over the whole span,
 * so a narrow posterior (a million sessions) and a wide one (ten) are both resolved. Densities are
 * evaluated in log space (no overflow at large counts), each normalised numerically, CDFs built by
 * the trapezoid rule; then for each interval P_i += ΔF_i · Π_{j≠i} F̄_j with F̄ the interval's mean
 * CDF, which makes Σ_i P_i telescope to Π F_j(end) = 1 up to the rule's error.
 */
const GRID_PER_ARM = 1500;
const GRID_BASE = 1000;

export function probabilityToBeBest(arms: Arm[]): number[] {
  const k = arms.length;
  if (k === 0) return [];
  if (k === 1) return [1];
  const ab = arms.map(({ conversions, sessions }) => {
    const x = Math.max(0, Math.min(conversions, sessions));
    return { a: 1 + x, b: 1 + Math.max(0, sessions) - x };
  });
  const windows = ab.map(({ a, b }) => {
    const n = a + b;
    const mean = a / n;
    const sd = Math.sqrt((a * b) / (n * n * (n + 1)));
    return { lo: Math.max(0, mean - 12 * sd), hi: Math.min(1, mean + 12 * sd) };
  });
  const spanLo = Math.min(...windows.map((w) => w.lo));
  const spanHi = Math.max(...windows.map((w) => w.hi));
  const pts: number[] = [];
  for (let i = 0; i <= GRID_BASE; i++) pts.push(spanLo + ((spanHi - spanLo) * i) / GRID_BASE);
  for (const w of windows) for (let i = 0; i <= GRID_PER_ARM; i++) pts.push(w.lo + ((w.hi - w.lo) * i) / GRID_PER_ARM);
  pts.sort((u, v) => u - v);
  const t: number[] = [];
  for (const p of pts) if (t.length === 0 || p - t[t.length - 1] > 1e-15) t.push(p);
  const m = t.length;

  // CDF of each arm on the grid (trapezoid of the log-space density, normalised to end at 1).
  const cdf: Float64Array[] = ab.map(({ a, b }) => {
    const logf = new Float64Array(m);
    let max = -Infinity;
    for (let i = 0; i < m; i++) {
      const ti = t[i];
      const la = a === 1 ? 0 : (a - 1) * Math.log(ti);
      const lb = b === 1 ? 0 : (b - 1) * Math.log1p(-ti);
      logf[i] = la + lb;
      if (logf[i] > max) max = logf[i];
    }
    const F = new Float64Array(m);
    let prev = Math.exp(logf[0] - max);
    for (let i = 1; i < m; i++) {
      const cur = Math.exp(logf[i] - max);
      F[i] = F[i - 1] + ((prev + cur) / 2) * (t[i] - t[i - 1]);
      prev = cur;
    }
    const total = F[m - 1];
    for (let i = 0; i < m; i++) F[i] = total > 0 ? F[i] / total : 0;
    return F;
  });

  const out = new Array<number>(k).fill(0);
  const mean = new Float64Array(k);
  const prefix = new Float64Array(k + 1);
  const suffix = new Float64Array(k + 1);
  for (let i = 1; i < m; i++) {
    for (let j = 0; j < k; j++) mean[j] = (cdf[j][i - 1] + cdf[j][i]) / 2;
    prefix[0] = 1;
    for (let j = 0; j < k; j++) prefix[j + 1] = prefix[j] * mean[j];
    suffix[k] = 1;
    for (let j = k - 1; j >= 0; j--) suffix[j] = suffix[j + 1] * mean[j];
    for (let j = 0; j < k; j++) out[j] += (cdf[j][i] - cdf[j][i - 1]) * prefix[j] * suffix[j + 1];
  }
  const sum = out.reduce((s, v) => s + v, 0);
  return sum > 0 ? out.map((v) => v / sum) : out.map(() => 1 / k);
}
