/**
 * Exact distinct counts over the visitor numbers of many cells (4-byte big-endian ints, as
 * int4send writes them), with one reusable bitmap: a visitor seen in several days or keys counts
 * once. Linear in the numbers read; the bitmap grows to the highest number seen.
 */
export class VisitorCounter {
  private bits = new Uint8Array(1 << 16);

  private grow(n: number): void {
    if (n >> 3 < this.bits.length) return;
    let size = this.bits.length;
    while (n >> 3 >= size) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bits);
    this.bits = next;
  }

  /** Distinct numbers over all buffers; the bitmap is left clear afterwards. */
  count(buffers: readonly Buffer[]): number {
    let distinct = 0;
    for (const b of buffers) {
      for (let i = 0; i + 3 < b.length; i += 4) {
        const n = b.readUInt32BE(i);
        this.grow(n);
        const m = 1 << (n & 7);
        const j = n >>> 3;
        if ((this.bits[j] & m) === 0) {
          this.bits[j] |= m;
          distinct++;
        }
      }
    }
    for (const b of buffers) for (let i = 0; i + 3 < b.length; i += 4) this.bits[b.readUInt32BE(i) >>> 3] = 0;
    return distinct;
  }
}
