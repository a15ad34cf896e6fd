import { eq } from "drizzle-orm";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { isDbUnavailable, noteDatabaseUnavailable } from "@/lib/db/unavailable";
import { authOptions } from "./auth-options";
import type { Role } from "@/lib/auth/users";

export type SessionUser = { id: number; email: string; name: string | null; role: Role };

/**
 * The signed-in user of this request (server components and route handlers), re-read from the
 * database so a role change or deletion takes effect at once. Undefined when not signed in.
 */
export async function getSessionUser(): Promise<SessionUser | undefined> {
  let session: { uid?: number } | null;
  try {
    session = (await getServerSession(authOptions())) as { uid?: number } | null;
  } catch {
    // Outside a request (tests, scripts) there is no session.
    return undefined;
  }
  if (!session?.uid) return undefined;
  let u: { id: number; email: string; name: string | null; role: string } | undefined;
  try {
    [u] = await (await getDb())
      .select({ id: users.id, email: users.email, name: users.name, role: users.role })
      .from(users)
      .where(eq(users.id, session.uid))
      .limit(1);
  } catch (err) {
    // The next dashboard page shows the "database unavailable" page at once (proxy.ts).
    if (isDbUnavailable(err)) noteDatabaseUnavailable();
    throw err;
  }
  return u ? { ...u, role: u.role as Role } : undefined;
}
