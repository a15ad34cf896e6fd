import { exportCsv } from "@/lib/analytics/export-csv";
import { analyticsRoute } from "@/lib/http/analytics-route";

/** GET /api/utm/export-csv?report=... (SPEC 4): text/csv attachment; sessions are streamed. */
export const GET = analyticsRoute(async ({ db, q, sp }) => exportCsv(db, q, sp));
