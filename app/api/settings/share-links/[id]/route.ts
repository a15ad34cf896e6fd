import { revokeShareLink } from "@/lib/auth/share-links";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";

/** DELETE: revoke a share link at once. Admins only. */
export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  if (!(await revokeShareLink(await getDb(), params.id))) throw notFound("No live share link with this id");
  return Response.json({ ok: true });
});
