import { exportCsv, exportDefaultPeriod, exportOwnBasis } from "@/lib/analytics/export-csv";
import { analyticsRoute } from "@/lib/http/analytics-route";
import { csvResponse } from "@/lib/http/csv-response";

/** GET /api/utm/export-csv?report=... (SPEC 4): text/csv attachment; sessions are streamed. */
export const GET = analyticsRoute(async ({ db, q, sp }) => csvResponse(await exportCsv(db, q, sp)), { defaultPeriod: exportDefaultPeriod, ownBasis: exportOwnBasis });
