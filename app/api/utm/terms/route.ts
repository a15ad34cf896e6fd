import { getBreakdown } from "@/lib/analytics/breakdown";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/terms (SPEC 12 breakdown). */
export const GET = analyticsRoute(async ({ db, q }) => getBreakdown(db, q, "terms"));
