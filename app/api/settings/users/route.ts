import { listUsers } from "@/lib/auth/user-admin";
import { createUser, newUserSchema } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/pg-errors";
import { badRequest } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";

/** Users (SPEC 6 settings; SPEC 10: only admins change users). */
export const GET = withGuard({ role: "admin" }, async () => Response.json({ users: await listUsers(await getDb()) }));

export const POST = withGuard({ role: "admin", body: "json" }, async (req) => {
  const input = await readJson(req, newUserSchema);
  try {
    const user = await createUser(await getDb(), input);
    return Response.json({ user }, { status: 201 });
  } catch (err) {
    // Unique e-mail (23505): a clear 400 instead of a 500.
    if (isUniqueViolation(err)) {
      throw badRequest("A user with this e-mail exists", [{ path: "email", message: "is already taken" }]);
    }
    throw err;
  }
});
