import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, normalQuantile, probabilityToBeBest, sampleSizePerVariant, twoProportionZTest } from "@/lib/analytics/stats";

/** Φ(z) by a second, independent route: 1/2 + ∫₀^z φ by composite Simpson (20,000 intervals). */
function simpsonCdf(z: number): number {
  const n = 20_000;
  const h = z / n;
  let s = normalPdf(0) + normalPdf(z);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * normalPdf(i * h);
  return 0.5 + (s * h) / 3;
}

describe("normal distribution", () => {
  it("Φ matches tabulated values to 1e-12", () => {
    // Reference values (e.g. scipy.stats.norm.cdf, NIST tables).
    const table: [number, number][] = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1, 0.15865525393145707],
      [1.959963984540054, 0.975],
      [-1.96, 0.024997895148220435],
      [2.5, 0.9937903346742238],
      [-3, 0.0013498980316300933],
      [4, 0.9999683287581669],
      [-5, 2.866515718791933e-7],
      [-8, 6.22096057427174e-16],
    ];
    for (const [x, want] of table) expect(Math.abs(normalCdf(x) - want)).toBeLessThan(1e-12);
    // Agrees with direct integration of the density everywhere on a sweep.
    for (let x = -6; x <= 6; x += 0.37) expect(Math.abs(normalCdf(x) - simpsonCdf(x))).toBeLessThan(1e-10);
  });

  it("Φ⁻¹ matches tabulated quantiles and inverts Φ", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 10);
    for (const p of [1e-9, 0.01, 0.02425, 0.3, 0.7, 0.97575, 0.999]) expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-14 + p * 1e-12);
  });
});

describe("two-proportion z-test", () => {
  it("150/1000 against 120/1000", () => {
    // p = (150+120)/2000 = 0.135; p(1−p) = 0.116775; × (1/1000 + 1/1000) = 0.00023355;
    // se = √0.00023355 = 0.01528234; z = (0.15 − 0.12)/se = 1.963050.
    // Φ(1.963050) = 0.9751798 → confidence = (2Φ − 1)·100 = 95.036 % (≥ 95: significant).
    // (1.9574 / 94.97 % quoted in the brief do not follow from the formula; 1.9574 is not
    // (0.03)/se for either the pooled or the unpooled se = √(0.1275/1000 + 0.1056/1000) → z = 1.9649.)
    const t = twoProportionZTest(150, 1000, 120, 1000);
    expect(t.z).toBeCloseTo(0.03 / Math.sqrt(0.135 * 0.865 * 0.002), 12);
    expect(t.z).toBeCloseTo(1.96305, 5);
    expect(t.confidence).toBeCloseTo((2 * simpsonCdf(t.z) - 1) * 100, 8);
    expect(t.confidence).toBeCloseTo(95.036, 3);
  });

  it("is symmetric and degenerate cases give 0", () => {
    expect(twoProportionZTest(120, 1000, 150, 1000).confidence).toBeCloseTo(twoProportionZTest(150, 1000, 120, 1000).confidence, 12);
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ z: 0, confidence: 0 });
    expect(twoProportionZTest(5, 5, 7, 7)).toEqual({ z: 0, confidence: 0 });
    expect(twoProportionZTest(1, 0, 1, 5)).toEqual({ z: 0, confidence: 0 });
  });
});

describe("sample size per variant (95 % two-sided, 80 % power)", () => {
  it("12 % against 15 % needs 2,036", () => {
    // p̄ = 0.135; z.975·√(2·0.135·0.865) = 1.959964 · 0.483270 = 0.947191;
    // z.8·√(0.15·0.85 + 0.12·0.88) = 0.841621 · 0.482804 = 0.406338; (1.353529)² = 1.832040;
    // / 0.03² = 2035.6 → 2036.
    expect(sampleSizePerVariant(0.15, 0.12)).toBe(2036);
    expect(sampleSizePerVariant(0.12, 0.15)).toBe(2036);
    // 30 % against 12.5 %: p̄ = 0.2125 → (1.959964·0.578522 + 0.841621·0.565133)² / 0.175² = 2.590523 / 0.030625 = 84.59 → 85.
    expect(sampleSizePerVariant(0.3, 0.125)).toBe(85);
    expect(sampleSizePerVariant(0.1, 0.1)).toBeNull();
  });
});

describe("probability to be best", () => {
  it("150/1000 against 120/1000 ≈ 97.5 %, checked with a normal approximation of the difference", () => {
    const [p1, p2] = probabilityToBeBest([
      { conversions: 150, sessions: 1000 },
      { conversions: 120, sessions: 1000 },
    ]);
    // Posteriors Beta(151, 851) and Beta(121, 881): means 151/1002 = 0.150699, 121/1002 = 0.120758;
    // variances ab/((a+b)²(a+b+1)) = 1.27606e-4 and 1.05858e-4; difference 0.029940 with sd
    // √2.33464e-4 = 0.015280 → P(θ1 > θ2) ≈ Φ(1.95948) = 0.97497.
    const beta = (a: number, b: number) => ({ m: a / (a + b), v: (a * b) / ((a + b) ** 2 * (a + b + 1)) });
    const x = beta(151, 851);
    const y = beta(121, 881);
    const approx = normalCdf((x.m - y.m) / Math.sqrt(x.v + y.v));
    expect(approx).toBeCloseTo(0.97497, 4);
    expect(Math.abs(p1 - approx) * 100).toBeLessThan(0.5);
    // scipy.integrate.quad of beta.pdf·beta.cdf gives 0.9750678.
    expect(p1).toBeCloseTo(0.9750678, 4);
    expect(p1 + p2).toBeCloseTo(1, 9);
  });

  it("three arms of very different sizes agree with an independent quadrature and sum to 1", () => {
    const arms = [
      { conversions: 3, sessions: 10 },
      { conversions: 30_000, sessions: 100_000 },
      { conversions: 2, sessions: 8 },
    ];
    const got = probabilityToBeBest(arms);
    // scipy.integrate.quad(beta.pdf(t, 1+x_i, 1+n_i−x_i) · Π_{j≠i} beta.cdf(t, ...)) over [0, 1]:
    // 0.4407769, 0.2312427, 0.3279804.
    expect(got[0]).toBeCloseTo(0.4407769, 4);
    expect(got[1]).toBeCloseTo(0.2312427, 4);
    expect(got[2]).toBeCloseTo(0.3279804, 4);
    expect(got.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    // Deterministic: the same data gives the same numbers, bit for bit.
    expect(probabilityToBeBest(arms)).toEqual(got);
  });

  it("equal arms share equally; no data is a uniform posterior", () => {
    const eq = probabilityToBeBest([1, 2, 3, 4].map(() => ({ conversions: 50, sessions: 1000 })));
    for (const p of eq) expect(p).toBeCloseTo(0.25, 6);
    // Beta(1,1) against Beta(1,6): P(U > V) = E[1 − V] = 1 − 1/7 = 6/7 = 0.857143.
    const [u, v] = probabilityToBeBest([
      { conversions: 0, sessions: 0 },
      { conversions: 0, sessions: 5 },
    ]);
    expect(u).toBeCloseTo(6 / 7, 5);
    expect(v).toBeCloseTo(1 / 7, 5);
    expect(probabilityToBeBest([{ conversions: 1, sessions: 2 }])).toEqual([1]);
    expect(probabilityToBeBest([])).toEqual([]);
  });

  it("a million sessions per arm stays accurate and finite", () => {
    // Beta(20001, 980001) vs Beta(20201, 979801): difference 200/1,000,002 = 2.0e-4, sd ≈
    // √(2 · 0.02·0.98/1e6) = 1.98e-4 → Φ(1.0102) ≈ 0.8438 for the second arm.
    const [a, b] = probabilityToBeBest([
      { conversions: 20_000, sessions: 1_000_000 },
      { conversions: 20_200, sessions: 1_000_000 },
    ]);
    const x = { m: 20001 / 1000002, v: (20001 * 980001) / (1000002 ** 2 * 1000003) };
    const y = { m: 20201 / 1000002, v: (20201 * 979801) / (1000002 ** 2 * 1000003) };
    const approx = normalCdf((y.m - x.m) / Math.sqrt(x.v + y.v));
    expect(Math.abs(b - approx)).toBeLessThan(0.005);
    expect(a + b).toBeCloseTo(1, 9);
  });
});
