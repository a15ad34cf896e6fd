import { addDays, previousRange, previousYearRange, sameDateLastYear } from "@/lib/analytics/calendar";
import type { Period } from "@/lib/analytics/vocabulary";
import type { DashboardPatch } from "./search-params";
/**
 * Date presets of the filter bar (issue 12): pure calendar arithmetic on `YYYY-MM-DD` strings, so
 * the server and the browser agree and it is unit-tested (tests/ui/ui-presets.test.ts). `today` is
 * always today's date in APP_TIMEZONE, handed down by the server (AnalyticsQuery.today): the
 * browser's own zone never decides a range.
 *
 * Presets that are SPEC `period` values stay `period=...` in the URL (short links that roll with
 * the calendar); the others (yesterday, this/last month, this year) become start_date/end_date.
 */

export const DATE_PRESETS = ["today", "yesterday", "7d", "30d", "90d", "365d", "this_month", "last_month", "this_year", "all"] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

/** SPEC 3.4 period of a preset that has one. */
export const PRESET_PERIOD: Partial<Record<DatePreset, Period>> = {
  today: "day",
  "7d": "week",
  "30d": "month",
  "90d": "quarter",
  "365d": "year",
  all: "all",
};

export type DayRange = { start: string; end: string };

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const parse = (d: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${d}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
};
const fmt = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** `date` plus `days` (negative goes back). */
export const shiftDays = addDays;

/** Number of days in a month (m = 1..12). */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export { sameDateLastYear };

/** The range of a preset on `today`; `all` starts at `allStart` (the API's ALL_START). */
export function presetRange(preset: DatePreset, today: string, allStart = "2000-01-01"): DayRange {
  const { y, m } = parse(today);
  switch (preset) {
    case "today":
      return { start: today, end: today };
    case "yesterday": {
      const d = shiftDays(today, -1);
      return { start: d, end: d };
    }
    case "7d":
      return { start: shiftDays(today, -6), end: today };
    case "30d":
      return { start: shiftDays(today, -29), end: today };
    case "90d":
      return { start: shiftDays(today, -89), end: today };
    case "365d":
      return { start: shiftDays(today, -364), end: today };
    case "this_month":
      return { start: fmt(y, m, 1), end: today };
    case "last_month": {
      const py = m === 1 ? y - 1 : y;
      const pm = m === 1 ? 12 : m - 1;
      return { start: fmt(py, pm, 1), end: fmt(py, pm, daysInMonth(py, pm)) };
    }
    case "this_year":
      return { start: fmt(y, 1, 1), end: today };
    case "all":
      return { start: allStart, end: today };
  }
}

/** The URL patch that selects a preset (a period, or explicit dates). */
export function presetPatch(preset: DatePreset, today: string): DashboardPatch {
  const period = PRESET_PERIOD[preset];
  if (period) return { period, start_date: null, end_date: null };
  const r = presetRange(preset, today);
  return { period: null, start_date: r.start, end_date: r.end };
}

/**
 * Which preset the current view is (highlighted in the bar): the `period` if the URL has one,
 * else the first preset whose range equals the explicit dates; `undefined` for any other range.
 */
export function activePreset(view: { period: string; start: string; end: string }, today: string): DatePreset | undefined {
  for (const p of DATE_PRESETS) if (PRESET_PERIOD[p] === view.period) return p;
  if (view.period !== "custom") return undefined;
  return DATE_PRESETS.find((p) => {
    if (p === "all") return false;
    const r = presetRange(p, today);
    return r.start === view.start && r.end === view.end;
  });
}

export const COMPARE_MODES = ["previous_period", "previous_year"] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

/** The range a comparison is drawn against: the same number of days just before, or the same dates a year earlier. */
export function compareRange(range: DayRange, mode: CompareMode): DayRange {
  return mode === "previous_year" ? previousYearRange(range) : previousRange(range);
}

/** `compare` URL value → mode; the old `compare=1` means the previous period. */
export function compareMode(value: string | null | undefined): CompareMode | undefined {
  if (value === "1" || value === "previous_period") return "previous_period";
  if (value === "previous_year") return "previous_year";
  return undefined;
}
