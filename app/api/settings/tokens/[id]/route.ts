import { revokeApiToken } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { parseNumericId } from "@/lib/ids";

/** DELETE: revoke a token at once. Admins only. */
export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  const id = parseNumericId(params.id);
  if (!id || !(await revokeApiToken(await getDb(), id))) throw notFound("No live token with this id");
  return Response.json({ ok: true });
});
