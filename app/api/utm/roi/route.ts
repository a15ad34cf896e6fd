import { getRoi, parseRoiParams } from "@/lib/analytics/roi";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/roi (SPEC 4): `spend` (≥ 0) is the what-if total spend. */
export const GET = analyticsRoute(async ({ db, q, sp }) => getRoi(db, q, parseRoiParams(sp)));
