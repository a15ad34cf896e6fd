import { getSessionDetail } from "@/lib/analytics/session-detail";
import { notFound } from "@/lib/errors";
import { analyticsRoute } from "@/lib/http/analytics-route";
import { parseUuid } from "@/lib/ids";

/**
 * GET /api/utm/{id}/session-detail (SPEC 4). A share token reaches only the sessions of its
 * selection: the range and filters it was opened with, kept inside the link's lock.
 */
export const GET = analyticsRoute<{ id: string }>(async ({ db, params, within }) => {
  // A malformed id (NUL, undecodable text, not a UUID) names no session: 404 before any query.
  const id = parseUuid(params.id);
  if (!id) throw notFound("Session not found");
  // Through a share link: 404 unless the session is inside the shared selection (SPEC 16).
  return getSessionDetail(db, id, { within });
});
