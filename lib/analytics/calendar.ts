/**
 * Calendar arithmetic on `YYYY-MM-DD` dates (time-zone free, no imports): the API's compare
 * ranges and the dashboard's presets share it, on the server and in the browser.
 */

export type DateRange = { start: string; end: string };

/** `date` plus `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The same number of days ending the day before `range` starts. */
export function previousRange(range: DateRange): DateRange {
  const days = daysBetween(range.start, range.end) + 1;
  return { start: addDays(range.start, -days), end: addDays(range.start, -1) };
}

/** A date one year earlier; 29 February maps to 28 February (SPEC 12). */
export function sameDateLastYear(date: string): string {
  const y = Number(date.slice(0, 4)) - 1;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, "0")}-${md === "02-29" && !leap ? "02-28" : md}`;
}

/** The same dates one year earlier. */
export function previousYearRange(range: DateRange): DateRange {
  return { start: sameDateLastYear(range.start), end: sameDateLastYear(range.end) };
}
