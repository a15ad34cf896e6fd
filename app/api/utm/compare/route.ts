import { getCompare, parseCompareRange } from "@/lib/analytics/compare";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/compare (SPEC 4): previous range by default, or compare_start_date/compare_end_date. */
export const GET = analyticsRoute(async ({ db, q, sp }) => getCompare(db, q, { previous: parseCompareRange(sp) }));
