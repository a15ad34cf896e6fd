import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { sendTestEvent } from "@/lib/forwarding/test-event";
import { destinationOf } from "@/lib/forwarding/destinations";

type P = { destination: string };

/**
 * POST: the settings page's "send a test event" (SPEC 19), admins only; the body is ignored
 * (send `{}` as JSON: a cookie write must be JSON from the app's origin). 200 with
 * `{ok, status, message}` whatever the platform said; the access token never appears in it.
 */
export const POST = withGuard<P>({ role: "admin", body: "json" }, async (_req, { params }) => {
  return Response.json(await sendTestEvent(await getDb(), destinationOf(params.destination)), { headers: { "Cache-Control": "no-store" } });
});
