import type { GeneralStats } from "@/lib/analytics/general-stats";
import type { Locale } from "./pick-locale";

/**
 * Numbers, money, percentages, changes, dates, names and plurals for the UI language (Intl): the
 * one set of formatters of the dashboard AND the e-mail report, so a figure reads the same in
 * both. The API answers are already rounded (SPEC 3.5); these only present them. Client-safe
 * (type imports only): the charts build their own with the same function.
 */
export const INTL_LOCALE: Record<Locale, string> = { uk: "uk-UA", en: "en-GB" };

export type Formatters = ReturnType<typeof makeFormatters>;

/**
 * Plural forms by Intl.PluralRules category; `other` is the fallback. Every language gives all
 * four (English repeats `other`), so the dictionaries of both languages have the same shape.
 */
export type PluralForms = { one: string; few: string; many: string; other: string };

/** How a figure is written: a whole count, money, a 0–100 percentage or a decimal. */
export type FigureKind = "int" | "money" | "pct" | "num";

/** Each general-stats figure's kind: the KPI cards and the e-mail's key figures write it alike. */
export const STAT_KIND: Record<keyof GeneralStats, FigureKind> = {
  sessions: "int",
  visitors: "int",
  conversions: "int",
  conversion_rate: "pct",
  orders: "int",
  revenue: "money",
  net_revenue: "money",
  margin: "money",
  orders_without_cost: "int",
  aov: "money",
  revenue_per_session: "money",
  new_sessions: "int",
  returning_sessions: "int",
  bounce_rate: "pct",
  avg_page_views: "num",
};

/** `{name}` placeholders of a dictionary string filled in (`"{shown} of {total}"`); unknown ones stay. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** The first letter upper-cased (a running-text label used as a column heading). */
export function capitalize(text: string, locale: Locale): string {
  return text.charAt(0).toLocaleUpperCase(INTL_LOCALE[locale]) + text.slice(1);
}

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
  const fig: Record<FigureKind, (v: number | null | undefined) => string> = {
    int: (v) => (nn(v) === null ? "—" : int.format(v as number)),
    num: (v) => (nn(v) === null ? "—" : dec.format(v as number)),
    money: (v) => (nn(v) === null ? "—" : cur.format(v as number)),
    pct,
  };
  const date = (d: string) => dateFmt.format(new Date(`${d}T00:00:00Z`));
  return {
    locale,
    int: fig.int,
    num: fig.num,
    money: fig.money,
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
    /** A figure by its kind; `stat` by the general-stats figure's kind (STAT_KIND). */
    figure: (kind: FigureKind, v: number | null | undefined) => fig[kind](v),
    stat: (key: keyof GeneralStats, v: number | null | undefined) => fig[STAT_KIND[key]](v),
    /** The A/B winner's lift as SPEC 6 writes it, locale-free: `+25.0%`. */
    lift: (v: number | null | undefined) => signedPct(v),
    /** `YYYY-MM-DD` calendar date (already in the app's zone). */
    date,
    /** A calendar range as the dashboard writes it: `5 Jan 2026 — 11 Jan 2026`. */
    range: (r: { start: string; end: string }) => `${date(r.start)} — ${date(r.end)}`,
    shortDate: (d: string) => shortDate.format(new Date(`${d}T00:00:00Z`)),
    /** An ISO instant shown in the formatters' zone (the app's, or the report's). */
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
