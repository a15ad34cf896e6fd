import { getBreakdown } from "@/lib/analytics/breakdown";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/channels (SPEC 17.4 breakdown by default channel group). */
export const GET = analyticsRoute(async ({ db, q }) => getBreakdown(db, q, "channels"));
