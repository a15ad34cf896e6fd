import { getSpendAudit } from "@/lib/analytics/spend-audit";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/spend-audit (SPEC 14): spend without sessions, paid sessions without spend, over the range. */
export const GET = analyticsRoute(async ({ db, q }) => getSpendAudit(db, q));
