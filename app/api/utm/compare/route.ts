import { getCompare, resolveCompareRange } from "@/lib/analytics/compare";
import { analyticsRoute } from "@/lib/http/analytics-route";

/**
 * GET /api/utm/compare (SPEC 4, 12): previous period by default, `compare=previous_year`, or
 * compare_start_date/compare_end_date. A share link's compare range must lie inside its range.
 */
export const GET = analyticsRoute(async ({ db, q, sp, allowRange }) => {
  const previous = resolveCompareRange(sp, q.range);
  allowRange(previous.range, previous.param);
  return getCompare(db, q, { previous: previous.range });
});
