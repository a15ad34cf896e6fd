import type { Locale } from "./pick-locale";

/**
 * Numbers, money, percentages, changes, dates, names and plurals for the UI language (Intl). The
 * API answers are already rounded (SPEC 3.5); these only present them.
 */
export const INTL_LOCALE: Record<Locale, string> = { uk: "uk-UA", en: "en-GB" };

export type Formatters = ReturnType<typeof makeFormatters>;

/** Plural forms by Intl.PluralRules category; `other` is the fallback (uk uses one/few/many). */
export type PluralForms = { one: string; few?: string; many?: string; other: string };

const DEVICES: Record<Locale, Record<string, string>> = {
  uk: { desktop: "Комп’ютер", mobile: "Мобільний", tablet: "Планшет", other: "Інше" },
  en: { desktop: "Desktop", mobile: "Mobile", tablet: "Tablet", other: "Other" },
};
const UNKNOWN: Record<Locale, string> = { uk: "Невідомо", en: "Unknown" };

export function makeFormatters(locale: Locale, currency: string, timeZone = "UTC") {
  const tag = INTL_LOCALE[locale];
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(tag, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(tag, { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const signed = new Intl.NumberFormat(tag, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const cur = new Intl.NumberFormat(tag, { style: "currency", currency, maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const curShort = new Intl.NumberFormat(tag, { style: "currency", currency, maximumFractionDigits: 0 });
  const dateFmt = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const shortDate = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", timeZone: "UTC" });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone });
  const regions = new Intl.DisplayNames([tag], { type: "region", fallback: "code" });
  const languages = new Intl.DisplayNames([tag], { type: "language", fallback: "code" });
  const plurals = new Intl.PluralRules(tag);
  const nn = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
  // Percent values are 0–100 (SPEC 3.5); Intl's percent style wants the fraction. Dividing a
  // 2-decimal value by 100 can leave float noise (0.33329999…), which the 2/1 digit cap rounds away.
  const pct = (v: number | null | undefined) => (nn(v) === null ? "—" : percent.format((v as number) / 100));
  // One decimal, half away from zero (-12.35 → -12.4), as round2 does for two.
  const tenth = (v: number) => (Math.sign(v) * Math.round(Math.abs(v) * 10)) / 10;
  const change = (v: number | null | undefined) => {
    if (nn(v) === null) return "—";
    const r = tenth(v as number);
    return signed.format(r === 0 ? 0 : r / 100);
  };
  return {
    locale,
    int: (v: number | null | undefined) => (nn(v) === null ? "—" : int.format(v as number)),
    num: (v: number | null | undefined) => (nn(v) === null ? "—" : dec.format(v as number)),
    money: (v: number | null | undefined) => (nn(v) === null ? "—" : cur.format(v as number)),
    moneyShort: (v: number | null | undefined) => (nn(v) === null ? "—" : curShort.format(v as number)),
    /** A 0–100 percentage: `12.5%` (en), `12,5%` (uk, as ICU writes it). */
    pct,
    /** A signed change with one decimal: `+25.0%` (en), `+25,0%` (uk); `—` for null (a change against 0). */
    change,
    /** A change with its arrow for KPI cards: `▲ +7.4%`, `▼ -3.0%`, `0.0%`. */
    delta: (v: number | null | undefined) => {
      if (nn(v) === null) return "—";
      const r = tenth(v as number);
      return `${r > 0 ? "▲ " : r < 0 ? "▼ " : ""}${change(v)}`;
    },
    /** `YYYY-MM-DD` calendar date (already in the app's zone). */
    date: (d: string) => dateFmt.format(new Date(`${d}T00:00:00Z`)),
    shortDate: (d: string) => shortDate.format(new Date(`${d}T00:00:00Z`)),
    /** An ISO instant shown in the app's zone. */
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    /** Country name of an ISO 3166-1 alpha-2 code in the UI language; `(none)` → Unknown. */
    country: (code: string) => {
      if (!/^[A-Z]{2}$/.test(code)) return UNKNOWN[locale];
      try {
        return regions.of(code) ?? code;
      } catch {
        return code;
      }
    },
    /** Language name of a BCP 47 tag (`uk` → Ukrainian / українська). */
    language: (code: string) => {
      try {
        return languages.of(code) ?? code;
      } catch {
        return code;
      }
    },
    /** Device type (desktop, mobile, tablet, other) in the UI language. */
    device: (key: string) => DEVICES[locale][key] ?? key,
    /** `1 page view`, `2 page views`; uk: 1 перегляд, 3 перегляди, 5 переглядів. */
    plural: (n: number, forms: PluralForms) => {
      const cat = plurals.select(n) as keyof PluralForms;
      return `${int.format(n)} ${forms[cat] ?? forms.other}`;
    },
  };
}

/** `+25.0%`, `-3.4%`, `0.0%`; `—` for null. Locale-free (e-mail text and CSV-like contexts). */
export function signedPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const r = Math.round(v * 10) / 10;
  return `${r > 0 ? "+" : r < 0 ? "-" : ""}${Math.abs(r).toFixed(1)}%`;
}
