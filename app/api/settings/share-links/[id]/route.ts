import { revokeShareLink } from "@/lib/auth/share-links";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { parseUuid } from "@/lib/ids";

/** DELETE: revoke a share link at once. Admins only. */
export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  const id = parseUuid(params.id);
  if (!id || !(await revokeShareLink(await getDb(), id))) throw notFound("No live share link with this id");
  return Response.json({ ok: true });
});
