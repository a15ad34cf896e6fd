import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { forwardingStatus } from "@/lib/forwarding/status";

/**
 * GET /api/utm/forwarding (SPEC 19): per destination its settings (the secret only as
 * "…1234"), queued / sending / sent / failed / skipped and the last error. Admins, or an API
 * token with the read scope (a monitoring script).
 */
export const dynamic = "force-dynamic";

export const GET = withGuard({ role: "admin", scope: "read" }, async () => {
  return Response.json(await forwardingStatus(await getDb()), { headers: { "Cache-Control": "no-store" } });
});
