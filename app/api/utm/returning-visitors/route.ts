import { getReturningVisitors } from "@/lib/analytics/returning-visitors";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/returning-visitors (SPEC 4). */
export const GET = analyticsRoute(async ({ db, q }) => getReturningVisitors(db, q));
