import { deleteUtmLink } from "@/lib/analytics/utm-links";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";

/** DELETE: remove a saved UTM link (admins). */
export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  const id = /^[1-9]\d{0,9}$/.test(params.id) ? Number(params.id) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647 || !(await deleteUtmLink(await getDb(), id))) throw notFound("No saved link with this id");
  return Response.json({ ok: true });
});
