import { getSessionDetail } from "@/lib/analytics/session-detail";
import { analyticsRoute } from "@/lib/http/analytics-route";

/**
 * GET /api/utm/{id}/session-detail (SPEC 4). A share token reaches it like any read endpoint;
 * the range/filter lock applies to the query parameters it was opened with.
 */
export const GET = analyticsRoute<{ id: string }>(async ({ db, params }) => getSessionDetail(db, params.id));
