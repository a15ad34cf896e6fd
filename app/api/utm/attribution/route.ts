import { getAttribution, parseAttributionParams } from "@/lib/analytics/attribution";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/attribution?model=M&dimension=D (SPEC 13) + range + filters. */
export const GET = analyticsRoute(async ({ db, q, sp }) => {
  const { model, dimension } = parseAttributionParams(sp);
  return getAttribution(db, q, model, dimension);
});
