import { getFunnel } from "@/lib/analytics/funnel";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/funnel (SPEC 4). */
export const GET = analyticsRoute(async ({ db, q }) => getFunnel(db, q));
