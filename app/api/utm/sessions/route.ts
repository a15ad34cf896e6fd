import { getSessionsList, parseSessionsParams } from "@/lib/analytics/sessions-list";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/sessions (SPEC 4): newest first, `limit` 1–200 (50), opaque `cursor`. */
export const GET = analyticsRoute(async ({ db, q, sp }) => getSessionsList(db, q, parseSessionsParams(sp)));
