import { getRealtime, realtimeDays } from "@/lib/analytics/realtime";
import { analyticsRoute } from "@/lib/http/analytics-route";

/**
 * GET /api/utm/realtime (SPEC 20): the last 30 minutes (visitors, events per minute, top sources
 * and pages) and the last counted orders, with the request's filters. A share link answers only
 * when its range holds the window's days (403 otherwise) and always within its filters. Never
 * cached: the dashboard block polls it.
 */
export const GET = analyticsRoute(async ({ db, q, allowRange }) => {
  allowRange(realtimeDays(q.now, q.tz), "realtime");
  const body = await getRealtime(db, { now: q.now, filters: q.filters });
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
