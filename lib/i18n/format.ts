import type { Locale } from "./pick-locale";

/**
 * Numbers, money and dates for the UI language (Intl). The API answers are already rounded
 * (SPEC 3.5); these only present them.
 */
export const INTL_LOCALE: Record<Locale, string> = { uk: "uk-UA", en: "en-GB" };

export type Formatters = ReturnType<typeof makeFormatters>;

export function makeFormatters(locale: Locale, currency: string, timeZone = "UTC") {
  const tag = INTL_LOCALE[locale];
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(tag, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const cur = new Intl.NumberFormat(tag, { style: "currency", currency, maximumFractionDigits: 2, minimumFractionDigits: 2 });
  const curShort = new Intl.NumberFormat(tag, { style: "currency", currency, maximumFractionDigits: 0 });
  const dateFmt = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const shortDate = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", timeZone: "UTC" });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone });
  const nn = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
  return {
    locale,
    int: (v: number | null | undefined) => (nn(v) === null ? "—" : int.format(v as number)),
    num: (v: number | null | undefined) => (nn(v) === null ? "—" : dec.format(v as number)),
    money: (v: number | null | undefined) => (nn(v) === null ? "—" : cur.format(v as number)),
    moneyShort: (v: number | null | undefined) => (nn(v) === null ? "—" : curShort.format(v as number)),
    pct: (v: number | null | undefined) => (nn(v) === null ? "—" : `${dec.format(v as number)}%`),
    /** A signed change with one decimal: `+25.0%` (the seed's lift format). */
    change: (v: number | null | undefined) => signedPct(v),
    /** `YYYY-MM-DD` calendar date (already in the app's zone). */
    date: (d: string) => dateFmt.format(new Date(`${d}T00:00:00Z`)),
    shortDate: (d: string) => shortDate.format(new Date(`${d}T00:00:00Z`)),
    /** An ISO instant shown in the app's zone. */
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
  };
}

/** `+25.0%`, `-3.4%`, `0.0%`; `—` for null (a change against 0). Locale-free on purpose: the seed asserts it. */
export function signedPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const r = Math.round(v * 10) / 10;
  return `${r > 0 ? "+" : r < 0 ? "-" : ""}${Math.abs(r).toFixed(1)}%`;
}
