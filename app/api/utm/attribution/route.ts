import { getAttribution, parseAttributionParams } from "@/lib/analytics/attribution";
import { unattributedInView } from "@/lib/analytics/share-scope";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/attribution?model=M&dimension=D (SPEC 13) + range + filters. */
export const GET = analyticsRoute(async ({ db, q, sp, within }) => {
  const { model, dimension } = parseAttributionParams(sp);
  const answer = await getAttribution(db, q, model, dimension);
  // A share link sees no unattributed order outside its selection (SPEC 21).
  return within ? { ...answer, unattributed: unattributedInView(answer.unattributed, within) } : answer;
});
