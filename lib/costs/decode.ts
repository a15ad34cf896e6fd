/**
 * Bytes of a cost file as text, one decoder for every door (CLI, POST /api/utm/ad-spend, the
 * dashboard upload): UTF-8 (with or without BOM), or UTF-16 as Google Ads' "Excel CSV" writes it
 * (little-endian with a BOM, tab-separated). UTF-16 BE with a BOM, and UTF-16 without a BOM
 * (recognised by the zero bytes of its ASCII characters), are read too.
 */

export type CostFileEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** The encoding the bytes are in (BOM first, then the zero-byte pattern of UTF-16 ASCII text). */
export function costFileEncoding(bytes: Uint8Array): CostFileEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  // Without a BOM: in UTF-16 text that is mostly ASCII, every other byte is 0; UTF-8 text never
  // holds a 0 byte (a NUL is refused later anyway).
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (bytes[i] === 0) evenZero++;
      if (bytes[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero >= pairs * 0.6 && evenZero === 0) return "utf-16le";
    if (evenZero >= pairs * 0.6 && oddZero === 0) return "utf-16be";
  }
  return "utf-8";
}

/** The text of a cost file's bytes, without its BOM; invalid sequences become U+FFFD. */
export function decodeCostFile(bytes: Uint8Array): string {
  const enc = costFileEncoding(bytes);
  const hasBom = enc !== "utf-8" && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  const body = hasBom ? bytes.subarray(2) : bytes;
  return new TextDecoder(enc).decode(body).replace(/^\uFEFF/, "");
}
