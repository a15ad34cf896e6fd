import type { DateRange } from "@/lib/analytics/params";
import { reportStrings, type ReportLang } from "./strings";

/**
 * Number, money, percent and date formatting of the report for one language, with Intl (so a
 * Ukrainian reader sees `1 234,50 грн` and an English one `UAH 1,234.50`). Values arrive already
 * rounded by the analytics layer; this only presents them.
 */

export type Formatter = {
  lang: ReportLang;
  int: (n: number) => string;
  num: (n: number) => string;
  money: (n: number) => string;
  percent: (n: number) => string;
  /** A change in percent: `+12.5%`, `−3%`, or `—` when there is no previous value. */
  change: (n: number | null) => string;
  range: (r: DateRange) => string;
  instant: (iso: string, tz: string) => string;
};

export function formatter(lang: ReportLang, currency: string): Formatter {
  const locale = reportStrings(lang).locale;
  const intF = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const numF = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const moneyF = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pctF = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });
  const changeF = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });
  // Calendar dates are zone-free: format them as UTC midnights so no zone shifts the day.
  const dateF = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const utc = (d: string) => new Date(`${d}T00:00:00Z`);
  return {
    lang,
    int: (n) => intF.format(n),
    num: (n) => numF.format(n),
    money: (n) => moneyF.format(n),
    percent: (n) => pctF.format(n / 100),
    change: (n) => (n === null ? "—" : changeF.format(n / 100)),
    range: (r) => (r.start === r.end ? dateF.format(utc(r.start)) : dateF.formatRange(utc(r.start), utc(r.end))),
    instant: (iso, tz) =>
      new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: tz }).format(new Date(iso)),
  };
}
