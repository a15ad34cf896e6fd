import { getTimeseries, parseInterval } from "@/lib/analytics/timeseries";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/timeseries (SPEC 4): `interval=day|week|month`, default by range length. */
export const GET = analyticsRoute(async ({ db, q, sp }) => getTimeseries(db, q, { interval: parseInterval(sp) }));
