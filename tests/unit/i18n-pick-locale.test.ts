import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/en";
import { makeFormatters, signedPct } from "@/lib/i18n/format";
import { pickLocale } from "@/lib/i18n/pick-locale";
import { uk } from "@/lib/i18n/uk";

describe("pickLocale: cookie, then Accept-Language, then Ukrainian", () => {
  it("the lang cookie wins over the browser", () => {
    expect(pickLocale("en", "uk-UA,uk;q=0.9")).toBe("en");
    expect(pickLocale("uk", "en-US,en;q=0.9")).toBe("uk");
  });
  it("an unknown cookie value is ignored", () => {
    expect(pickLocale("de", "en-US")).toBe("en");
  });
  it("Accept-Language by q-value, first supported primary tag", () => {
    expect(pickLocale(undefined, "de-DE,de;q=0.9,en;q=0.8,uk;q=0.7")).toBe("en");
    expect(pickLocale(undefined, "en;q=0.5, uk-UA;q=0.8")).toBe("uk");
    expect(pickLocale(undefined, "ru, en-GB;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "en;q=0, uk;q=0.1")).toBe("uk");
  });
  it("falls back to Ukrainian", () => {
    expect(pickLocale(undefined, undefined)).toBe("uk");
    expect(pickLocale(null, "de-DE,fr;q=0.5")).toBe("uk");
    expect(pickLocale("", "")).toBe("uk");
  });
});

describe("dictionaries and formatting", () => {
  it("keeps the seed's Ukrainian strings verbatim", () => {
    expect([uk.notEnoughData, uk.chooseCampaign, uk.winner, uk.refresh, uk.showResult, uk.loading, uk.noData]).toEqual([
      "Недостатньо даних",
      "Оберіть кампанію",
      "Переможець",
      "Оновити",
      "Показати результат",
      "Завантаження...",
      "Немає даних",
    ]);
  });
  it("English has every key of Ukrainian", () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v).map((s) => `${k}.${s}`) : [k]));
    expect(keys(en).sort()).toEqual(keys(uk).sort());
  });
  it("formats numbers, money and dates for the language", () => {
    const u = makeFormatters("uk", "UAH");
    const e = makeFormatters("en", "UAH");
    // uk-UA groups with a (narrow) no-break space and uses a decimal comma.
    expect(u.int(1234567).replace(/\s/g, " ")).toBe("1 234 567");
    expect(u.pct(12.5)).toBe("12,5%");
    expect(e.pct(12.5)).toBe("12.5%");
    expect(e.money(1234.5).replace(/\s/g, " ")).toBe("UAH 1,234.50");
    // ICU versions differ on the hryvnia symbol (Node: ₴, Chromium: грн).
    expect(u.money(1234.5).replace(/\s/g, " ")).toMatch(/^1 234,50 (₴|грн)$/);
    expect(e.date("2025-01-30")).toBe("30 Jan 2025");
    expect(u.date("2025-01-30")).toMatch(/^30 січ\.? 2025/);
  });
  it("signs a lift like the seed: +25.0%", () => {
    expect([signedPct(25), signedPct(-3.44), signedPct(0), signedPct(null)]).toEqual(["+25.0%", "-3.4%", "0.0%", "—"]);
  });
});
