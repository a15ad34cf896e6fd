import { describe, expect, it } from "vitest";
import { byCodePoint, compareValues } from "@/lib/analytics/sort-rows";

describe("byCodePoint: Unicode code point order, as collate \"C\" sorts", () => {
  it("puts a character beyond U+FFFF after U+E000–U+FFFF (UTF-16 code units would not)", () => {
    // 😀 is U+1F600 (units D83D DE00), ！ is U+FF01: by code unit D83D < FF01, by code point 1F600 > FF01.
    expect("😀" < "！").toBe(true);
    expect(byCodePoint("😀", "！")).toBe(1);
    expect(byCodePoint("！", "😀")).toBe(-1);
    expect(["😀", "！", "a", "é", "𝔸", "\uE000"].sort(byCodePoint)).toEqual(["a", "é", "\uE000", "！", "𝔸", "😀"]);
  });
  it("orders BMP text, prefixes and equal strings like <", () => {
    expect(byCodePoint("ab", "abc")).toBe(-1);
    expect(byCodePoint("abc", "ab")).toBe(1);
    expect(byCodePoint("b", "a")).toBe(1);
    expect(byCodePoint("x😀", "x😀")).toBe(0);
    // Two astral characters compare by their surrogates, which keep code-point order: U+1D538 < U+1F600.
    expect(byCodePoint("𝔸", "😀")).toBe(-1);
  });
  it("is what compareValues uses for text, in both directions", () => {
    expect(compareValues("😀", "！", "asc")).toBe(1);
    expect(compareValues("😀", "！", "desc")).toBe(-1);
  });
});
