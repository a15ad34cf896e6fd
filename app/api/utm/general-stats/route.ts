import { getGeneralStats } from "@/lib/analytics/general-stats";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/general-stats (SPEC 4). */
export const GET = analyticsRoute(async ({ db, q }) => getGeneralStats(db, q));
