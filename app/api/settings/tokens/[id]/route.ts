import { revokeApiToken } from "@/lib/auth/api-tokens";
import { parseId } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";

/** DELETE: revoke a token at once. Admins only. */
export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  if (!(await revokeApiToken(await getDb(), parseId(params.id)))) throw notFound("No live token with this id");
  return Response.json({ ok: true });
});
