/**
 * A small seeded PRNG (mulberry32) and the draws the demo generator needs. Seeded, so the same
 * seed and the same "today" always give the same data set (tests, bench, screenshots).
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next: () => number;
  int: (minInclusive: number, maxInclusive: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  weighted: <T>(items: readonly { weight: number; value: T }[]) => T;
  /** Standard normal (Box–Muller). */
  normal: () => number;
  uuid: () => string;
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const u32 = () => Math.floor(next() * 4294967296);
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items) => {
      let total = 0;
      for (const it of items) total += it.weight;
      let r = next() * total;
      for (const it of items) {
        r -= it.weight;
        if (r < 0) return it.value;
      }
      return items[items.length - 1].value;
    },
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    uuid: () => {
      const a = hex8(u32());
      const b = hex8(u32());
      const c = hex8(u32());
      const d = hex8(u32());
      // RFC 4122 version 4 / variant 1 bits, so strict uuid validators accept it.
      const variant = ((parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
      return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    },
  };
  return rng;
}
