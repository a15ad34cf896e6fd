import { abTestParamsSchema, getAbTest } from "@/lib/analytics/ab-test";
import { parseParams } from "@/lib/analytics/params";
import { badRequest } from "@/lib/errors";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/ab-test?campaign=... (SPEC 5.4): 400 without a campaign. */
export const GET = analyticsRoute(async ({ db, q, sp }) => {
  const { campaign } = parseParams(sp, abTestParamsSchema);
  if (campaign === undefined) {
    throw badRequest("campaign is required", [{ path: "campaign", message: "campaign is required" }]);
  }
  return getAbTest(db, q, { campaign });
});
