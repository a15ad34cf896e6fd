import { getAttributionCompare, parseAttributionDimension } from "@/lib/analytics/attribution";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/attribution/compare?dimension=D (SPEC 13): all six models side by side, with spend. */
export const GET = analyticsRoute(async ({ db, q, sp }) => getAttributionCompare(db, q, parseAttributionDimension(sp)));
