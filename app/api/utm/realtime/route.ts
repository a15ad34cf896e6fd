import { dateInZone } from "@/lib/analytics/params";
import { getRealtime, REALTIME_MINUTES } from "@/lib/analytics/realtime";
import { analyticsRoute } from "@/lib/http/analytics-route";

/**
 * GET /api/utm/realtime (SPEC 20): the last 30 minutes (visitors, events per minute, top sources
 * and pages) and the last counted orders, with the request's filters. A share link answers only
 * when its range holds the window's days (403 otherwise) and always within its filters. Never
 * cached: the dashboard block polls it.
 */
export const GET = analyticsRoute(async ({ db, q, allowRange }) => {
  const windowStart = new Date(q.now.getTime() - REALTIME_MINUTES * 60_000);
  allowRange({ start: dateInZone(windowStart, q.tz), end: q.today }, "realtime");
  const body = await getRealtime(db, { now: q.now, filters: q.filters });
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
