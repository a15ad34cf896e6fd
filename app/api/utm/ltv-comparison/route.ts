import { getLtvComparison } from "@/lib/analytics/ltv";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/ltv-comparison (SPEC 5.2): a JSON array, one row per acquisition source. */
export const GET = analyticsRoute(async ({ db, q }) => getLtvComparison(db, q));
