import { describe, expect, it } from "vitest";
import { makeFormatters } from "@/lib/i18n/format";
import { dictionary } from "@/lib/i18n";

const uk = makeFormatters("uk", "UAH");
const en = makeFormatters("en", "UAH");
const sp = (s: string) => s.replace(/\s/g, " ");

describe("locale formatting of changes, percentages, names and plurals", () => {
  it("a change with one decimal and its sign, by the UI locale (the issue: uk showed +7.4%)", () => {
    expect([en.change(7.4), en.change(-3.44), en.change(0), en.change(-0.04), en.change(null)]).toEqual(["+7.4%", "-3.4%", "0.0%", "0.0%", "—"]);
    expect([uk.change(7.4), uk.change(-3.44)].map(sp)).toEqual(["+7,4%", "-3,4%"]);
    expect([uk.delta(7.4), en.delta(-12.35), en.delta(0), en.delta(null)]).toEqual(["▲ +7,4%", "▼ -12.4%", "0.0%", "—"]);
  });
  it("percentages 0–100 with up to two decimals (33.33 stays 33.33 after the /100)", () => {
    expect([en.pct(33.33), uk.pct(33.33), en.pct(100), en.pct(0), en.pct(null)]).toEqual(["33.33%", "33,33%", "100%", "0%", "—"]);
  });
  it("country, language and device names in the UI language", () => {
    expect([uk.country("UA"), en.country("UA"), uk.country("PL"), en.country("(none)"), uk.country("(none)")]).toEqual(["Україна", "Ukraine", "Польща", "Unknown", "Невідомо"]);
    expect([uk.language("en"), en.language("uk")]).toEqual(["англійська", "Ukrainian"]);
    expect([uk.device("mobile"), en.device("desktop"), en.device("tv")]).toEqual(["Мобільний", "Desktop", "tv"]);
  });
  it("plurals by Intl.PluralRules: English one/other, Ukrainian one/few/many", () => {
    const e = dictionary("en").tools.pageViews;
    const u = dictionary("uk").tools.pageViews;
    expect([1, 2, 0].map((n) => en.plural(n, e))).toEqual(["1 page view", "2 page views", "0 page views"]);
    // uk: 1, 21 → one; 2–4, 22 → few; 5–20, 11 → many.
    expect([1, 3, 5, 11, 21, 22].map((n) => uk.plural(n, u))).toEqual(["1 перегляд", "3 перегляди", "5 переглядів", "11 переглядів", "21 перегляд", "22 перегляди"]);
  });
});
