import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badRequest, type Issue } from "@/lib/errors";
import { previousRange, previousYearRange, sameDateLastYear } from "./calendar";
import { change } from "./format";
import type { ReadOptions } from "./rollups";
import { derivedStats, formatStats, getRawStats, type GeneralStats } from "./general-stats";
import { addDays, daysBetween, paramSchemas, parseParams, type AnalyticsQuery, type DateRange, type SearchInput } from "./params";

/**
 * Period comparison (SPEC 4): the previous range is the same number of days just before the
 * current one unless compare_start_date/compare_end_date are given (both or neither). Changes
 * come from unrounded values and are null against 0.
 */

export type CompareSide = { start_date: string; end_date: string; stats: GeneralStats };
export type Compare = { current: CompareSide; previous: CompareSide; change: Record<keyof GeneralStats, number | null> };

export const COMPARE_MODES = ["previous_period", "previous_year"] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

const schema = z.object({
  compare: z.enum(COMPARE_MODES, { error: `must be one of ${COMPARE_MODES.join(", ")}` }).optional(),
  compare_start_date: paramSchemas.isoDate.optional(),
  compare_end_date: paramSchemas.isoDate.optional(),
});

/** The explicit compare range, if any (compare_start_date/compare_end_date, both or neither). */
export function parseCompareRange(sp: SearchInput): DateRange | undefined {
  const p = parseParams(sp, schema);
  const issues: Issue[] = [];
  if ((p.compare_start_date === undefined) !== (p.compare_end_date === undefined)) {
    const missing = p.compare_start_date === undefined ? "compare_start_date" : "compare_end_date";
    issues.push({ path: missing, message: "compare_start_date and compare_end_date must be given together" });
  } else if (p.compare_start_date && p.compare_end_date && p.compare_start_date > p.compare_end_date) {
    issues.push({ path: "compare_start_date", message: "compare_start_date must not be after compare_end_date" });
  }
  if (p.compare !== undefined && p.compare_start_date !== undefined) {
    issues.push({ path: "compare", message: "give either compare or compare_start_date/compare_end_date, not both" });
  }
  if (issues.length) throw badRequest(`Invalid parameter: ${issues.map((i) => i.path).join(", ")}`, issues);
  return p.compare_start_date && p.compare_end_date ? { start: p.compare_start_date, end: p.compare_end_date } : undefined;
}

/**
 * The range `compare` compares against and the parameter that chose it (for a share link's 403):
 * compare_start_date/compare_end_date, else `compare=previous_year`, else the previous period.
 */
export function resolveCompareRange(sp: SearchInput, range: DateRange): { range: DateRange; param: string } {
  const explicit = parseCompareRange(sp);
  if (explicit) return { range: explicit, param: "compare_start_date" };
  const mode = parseParams(sp, schema).compare;
  if (mode === "previous_year") return { range: previousYearRange(range), param: "compare" };
  return { range: previousRange(range), param: "compare" };
}

export { previousRange, previousYearRange, sameDateLastYear };

export async function getCompare(db: Db, q: AnalyticsQuery, opts: { previous?: DateRange } & ReadOptions = {}): Promise<Compare> {
  const prevRange = opts.previous ?? previousRange(q.range);
  const [cur, prev] = await Promise.all([getRawStats(db, q, opts), getRawStats(db, { ...q, range: prevRange }, opts)]);
  const c = derivedStats(cur);
  const p = derivedStats(prev);
  const delta = Object.fromEntries(
    (Object.keys(c) as (keyof GeneralStats)[]).map((k) => [k, change(c[k], p[k])]),
  ) as Record<keyof GeneralStats, number | null>;
  return {
    current: { start_date: q.range.start, end_date: q.range.end, stats: formatStats(cur) },
    previous: { start_date: prevRange.start, end_date: prevRange.end, stats: formatStats(prev) },
    change: delta,
  };
}
