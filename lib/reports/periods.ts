import { config } from "@/lib/config";
import { addDays, dateInZone, type DateRange } from "@/lib/analytics/params";

/**
 * The periods a scheduled report covers (SPEC 7): always the last COMPLETE period in
 * APP_TIMEZONE, so a report sent on Monday 00:30 never shows a half-filled day or week.
 */

export const REPORT_PERIODS = ["day", "week", "month"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export function isReportPeriod(v: unknown): v is ReportPeriod {
  return typeof v === "string" && (REPORT_PERIODS as readonly string[]).includes(v);
}

export type ReportWindow = {
  period: ReportPeriod;
  /** The last complete period (inclusive dates in the zone). */
  current: DateRange;
  /** The one before it: same length; for months the previous calendar month. */
  previous: DateRange;
  tz: string;
};

/** ISO weekday of a calendar date: Monday 1 … Sunday 7. */
function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The calendar month before the one `date` is in, as an inclusive range. */
function previousMonth(date: string): DateRange {
  const end = addDays(firstOfMonth(date), -1);
  return { start: firstOfMonth(end), end };
}

export function reportWindow(period: ReportPeriod, now: Date = new Date(), tz: string = config().timezone): ReportWindow {
  const today = dateInZone(now, tz);
  if (period === "day") {
    const y = addDays(today, -1);
    return { period, current: { start: y, end: y }, previous: { start: addDays(y, -1), end: addDays(y, -1) }, tz };
  }
  if (period === "week") {
    const thisMonday = addDays(today, -(isoWeekday(today) - 1));
    const start = addDays(thisMonday, -7);
    return {
      period,
      current: { start, end: addDays(thisMonday, -1) },
      previous: { start: addDays(start, -7), end: addDays(start, -1) },
      tz,
    };
  }
  const current = previousMonth(today);
  return { period, current, previous: previousMonth(current.start), tz };
}
