import { getEvents } from "@/lib/analytics/events";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/events (SPEC 12): event kinds ("goals") in the selected sessions. */
export const GET = analyticsRoute(async ({ db, q }) => getEvents(db, q));
