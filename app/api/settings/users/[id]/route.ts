import { deleteUser, parseId, roleSchema, setUserRole } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db/client";
import { forbidden } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";

type P = { id: string };

/** PATCH {role}: change a user's role. DELETE: remove a user. Admins only. */
export const PATCH = withGuard<P>({ role: "admin" }, async (req, { params }) => {
  const { role } = await readJson(req, roleSchema);
  await setUserRole(await getDb(), parseId(params.id), role);
  return Response.json({ ok: true });
});

export const DELETE = withGuard<P>({ role: "admin" }, async (_req, { principal, params }) => {
  if (principal.kind !== "user") throw forbidden();
  await deleteUser(await getDb(), parseId(params.id), principal.user.id);
  return Response.json({ ok: true });
});
