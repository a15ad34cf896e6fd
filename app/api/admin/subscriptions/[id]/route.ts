import { getDb } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { parseNumericId } from "@/lib/ids";
import { removeSubscription } from "@/lib/reports/subscriptions";

/** DELETE /api/admin/subscriptions/{id} (admin): 204, or 404 for an unknown id. */
export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  const id = parseNumericId(params.id);
  if (!id) throw badRequest("Invalid parameter: id", [{ path: "id", message: "must be a subscription id" }]);
  if (!(await removeSubscription(await getDb(), id))) throw notFound("No such subscription");
  return new Response(null, { status: 204 });
});

export const dynamic = "force-dynamic";
