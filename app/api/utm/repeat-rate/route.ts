import { getRepeatRate } from "@/lib/analytics/repeat-rate";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/repeat-rate (SPEC 5.3): the five repeat-purchase cards. */
export const GET = analyticsRoute(async ({ db, q }) => getRepeatRate(db, q));
