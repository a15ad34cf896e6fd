import { deleteUser, roleSchema, setUserRole } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db/client";
import { forbidden, notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { parseNumericId } from "@/lib/ids";
import { readJson } from "@/lib/http/json-body";

type P = { id: string };

/** A user id (a serial key); anything else names no user: 404 before any query. */
function userId(raw: string): number {
  const id = parseNumericId(raw);
  if (!id) throw notFound("Not found");
  return id;
}

/** PATCH {role}: change a user's role. DELETE: remove a user. Admins only. */
export const PATCH = withGuard<P>({ role: "admin", body: "json" }, async (req, { params }) => {
  const id = userId(params.id);
  const { role } = await readJson(req, roleSchema);
  await setUserRole(await getDb(), id, role);
  return Response.json({ ok: true });
});

export const DELETE = withGuard<P>({ role: "admin" }, async (_req, { principal, params }) => {
  if (principal.kind !== "user") throw forbidden();
  await deleteUser(await getDb(), userId(params.id), principal.user.id);
  return Response.json({ ok: true });
});
