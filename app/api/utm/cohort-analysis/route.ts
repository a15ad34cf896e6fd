import { cohortParamsSchema, getCohortAnalysis, PAYBACK_BASES } from "@/lib/analytics/cohort";
import { parseParams } from "@/lib/analytics/params";
import { COHORT_DEFAULT_PERIOD } from "@/lib/analytics/vocabulary";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/cohort-analysis (SPEC 5.1, 15, 18): range defaults to the last 90 days; `basis=all|paid`. */
export const GET = analyticsRoute(
  async ({ db, q, sp }) => {
    const p = parseParams(sp, cohortParamsSchema);
    return getCohortAnalysis(db, q, { cohortType: p.cohort_type, metric: p.metric, periods: p.periods, basis: p.basis });
  },
  { defaultPeriod: COHORT_DEFAULT_PERIOD, ownBasis: PAYBACK_BASES },
);
