import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { apiTokens, users } from "@/lib/db/schema";
import { badRequest, notFound } from "@/lib/errors";
import { ROLES, type Role } from "./users";

/**
 * Settings operations on users and API tokens (SPEC 6). The callers (route handlers under
 * /api/settings) are admin-only through withGuard; these functions keep the invariants: the last
 * admin can be neither demoted nor deleted, and nobody deletes their own account.
 */

export type UserListItem = { id: number; email: string; name: string | null; role: Role; createdAt: Date };

export async function listUsers(db: Db): Promise<UserListItem[]> {
  const got = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt })
    .from(users)
    .orderBy(users.email);
  return got.map((u) => ({ ...u, role: u.role as Role }));
}

export const roleSchema = z.object({ role: z.enum(ROLES, { error: "must be admin or viewer" }) });

/**
 * Runs `change` in one transaction after locking every admin row (`select … for update`) and the
 * target row, so the last-admin check and the change cannot interleave with another: two
 * concurrent demotions of the last two admins serialise, and the second sees one admin left.
 */
async function withAdminsLocked(db: Db, id: number, change: (tx: Db, role: Role, admins: number) => Promise<void>): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const admins = await t.select({ id: users.id }).from(users).where(eq(users.role, "admin")).orderBy(users.id).for("update");
    const [u] = await t.select({ role: users.role }).from(users).where(eq(users.id, id)).limit(1).for("update");
    if (!u) throw notFound("User not found");
    await change(t, u.role as Role, admins.length);
  });
}

export async function setUserRole(db: Db, id: number, role: Role): Promise<void> {
  await withAdminsLocked(db, id, async (tx, current, admins) => {
    if (current === "admin" && role !== "admin" && admins <= 1) {
      throw badRequest("The last admin cannot be demoted", [{ path: "role", message: "at least one admin must remain" }]);
    }
    await tx.update(users).set({ role }).where(eq(users.id, id));
  });
}

export async function deleteUser(db: Db, id: number, actingUserId: number): Promise<void> {
  if (id === actingUserId) throw badRequest("You cannot delete your own account", [{ path: "id", message: "is the signed-in user" }]);
  await withAdminsLocked(db, id, async (tx, current, admins) => {
    if (current === "admin" && admins <= 1) {
      throw badRequest("The last admin cannot be deleted", [{ path: "id", message: "at least one admin must remain" }]);
    }
    await tx.delete(users).where(eq(users.id, id));
  });
}

export type TokenListItem = { id: number; name: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** Tokens without their hashes: the secret is shown once at creation and never again. */
export async function listApiTokens(db: Db): Promise<TokenListItem[]> {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
}

/** A positive integer id from a route segment; 404 otherwise (never a database cast error). */
export function parseId(raw: string): number {
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw notFound("Not found");
  return n;
}
