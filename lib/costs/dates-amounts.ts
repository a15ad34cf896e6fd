import type { Lang } from "./formats";

/**
 * A cost export's days and amounts as the platforms write them in their locales (SPEC 14).
 * Pure; lib/costs/platform-csv.ts reads every cell through these.
 */

/** Month by the first three letters of its name: English, Ukrainian and Russian (nominative or genitive). */
const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  січ: 1, лют: 2, бер: 3, кві: 4, тра: 5, чер: 6, лип: 7, сер: 8, вер: 9, жов: 10, лис: 11, гру: 12,
  янв: 1, фев: 2, мар: 3, апр: 4, май: 5, мая: 5, июн: 6, июл: 7, авг: 8, сен: 9, окт: 10, ноя: 11, дек: 12,
};

const monthOf = (name: string): number | undefined => MONTHS[name.slice(0, 3).toLowerCase()];

function ymd(y: number, mo: number, d: number): string | null {
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// A leading weekday ("Mon,", "Monday", "пн,", "понеділок") is ignored.
const WEEKDAY = String.raw`(?:\p{L}{2,11}\.?,?\s+)?`;
// The year suffix of Ukrainian and Russian dates ("2026 р.", "2026 г.").
const YEAR_SUFFIX = String.raw`(?:\s*(?:р|г|року|года)\.?)?`;
const NAMED_DAY_FIRST = new RegExp(String.raw`^${WEEKDAY}(\d{1,2})[\s-]+(\p{L}{3,12})\.?,?[\s-]+(\d{4})${YEAR_SUFFIX}$`, "iu");
const NAMED_MONTH_FIRST = new RegExp(String.raw`^${WEEKDAY}(\p{L}{3,12})\.?\s+(\d{1,2}),?\s+(\d{4})$`, "iu");

/**
 * A day as the platforms write it: 2026-03-05 (optionally with a time), 2026/03/05, 20260305,
 * 05.03.2026, 3/5/2026 (month first in English exports, day first in Ukrainian and Russian ones;
 * an English date whose first number cannot be a month is read day first), "Mar 5, 2026",
 * "Thu, Mar 5, 2026", "5 Mar 2026", "Mon, 23 Feb 2026", "23-Feb-2026", "1 березня 2026 р.",
 * "23 февр. 2026 г.". Anything else is not a date.
 */
export function parseDay(input: string, lang: Lang = "en"): string | null {
  const v = input.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$/.exec(v);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(р\.|г\.))?$/.exec(v);
  if (m) return ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(v);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return lang === "en" ? (ymd(y, a, b) ?? ymd(y, b, a)) : ymd(y, b, a);
  }
  m = NAMED_MONTH_FIRST.exec(v);
  if (m && monthOf(m[1])) return ymd(Number(m[3]), monthOf(m[1]) as number, Number(m[2]));
  m = NAMED_DAY_FIRST.exec(v);
  if (m && monthOf(m[2])) return ymd(Number(m[3]), monthOf(m[2]) as number, Number(m[1]));
  return null;
}

/**
 * An amount as exported: "1,234.56", "1 234,56", "1.234,56", "1234,56", "$412.30", "₴1 234,56",
 * "UAH 10", "12,50 грн", "(5.00)" (negative). "--" and "—" (no cost) read 0. The last of "," and
 * "." is the decimal separator when both occur; a lone "," is decimal unless exactly three digits
 * follow it (then it groups thousands, "1,234"). Not a number → null. The currency the marks
 * name is read by currencyOfAmount (currency-marks.ts).
 */
export function parseAmount(input: string): number | null {
  let v = input.trim();
  if (v === "--" || v === "—" || v === "-" || v === "–") return 0;
  let negative = false;
  if (/^\(.*\)$/.test(v)) {
    negative = true;
    v = v.slice(1, -1);
  }
  v = v.replace(/[\s\u00a0\u202f'’]/g, "");
  if (v.startsWith("-") || v.startsWith("−")) {
    negative = !negative;
    v = v.slice(1);
  }
  // Currency symbols or codes around the number ("грн." ends with a dot that is not a decimal).
  v = v.replace(/^[^\d.,]+/, "").replace(/[^\d]+$/, (tail) => (/^[.,]$/.test(tail) ? tail : ""));
  if (v.startsWith("-")) return null;
  if (!/^[\d.,]+$/.test(v) || !/\d/.test(v)) return null;
  const lastComma = v.lastIndexOf(",");
  const lastDot = v.lastIndexOf(".");
  let normal: string;
  if (lastComma >= 0 && lastDot >= 0) {
    normal = lastComma > lastDot ? v.replace(/\./g, "").replace(",", ".") : v.replace(/,/g, "");
  } else if (lastComma >= 0) {
    const commas = v.split(",").length - 1;
    normal = commas > 1 || /^\d{1,3},\d{3}$/.test(v) ? v.replace(/,/g, "") : v.replace(",", ".");
  } else {
    const dots = v.split(".").length - 1;
    normal = dots > 1 ? v.replace(/\./g, "") : v;
  }
  if (!/^\d+(\.\d+)?$/.test(normal)) return null;
  const n = Number(normal);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}
