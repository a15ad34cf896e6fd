import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, lte, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { apiTokens } from "@/lib/db/schema";

/** API tokens (SPEC 6, 10): 32 random bytes shown once, stored as SHA-256, revocable at once. */

export const SCOPES = ["read", "ingest"] as const;
export type Scope = (typeof SCOPES)[number];
export const scopesSchema = z.array(z.enum(SCOPES)).min(1, "at least one scope: read, ingest");

const PREFIX = "utmd_";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(
  db: Db,
  input: { name: string; scopes: Scope[]; createdBy?: number | null },
): Promise<{ id: number; token: string }> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiTokens)
    .values({ name: input.name, scopes: [...new Set(input.scopes)], tokenHash: hashToken(token), createdBy: input.createdBy ?? null })
    .returning({ id: apiTokens.id });
  return { id: row.id, token };
}

export type TokenPrincipal = { id: number; name: string; scopes: Scope[] };

/** The live token matching a presented secret, or undefined (unknown or revoked). */
export async function findApiToken(db: Db, token: string, now = new Date()): Promise<TokenPrincipal | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 100) return undefined;
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row) return undefined;
  await touchLastUsed(db, row.id, row.lastUsedAt, now);
  return { id: row.id, name: row.name, scopes: row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)) };
}

/** `last_used_at` is written at most once a minute per token, so busy ingestion adds no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

async function touchLastUsed(db: Db, id: number, lastUsedAt: Date | null, now: Date): Promise<void> {
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  // The condition again in SQL: of concurrent first uses in a minute, one writes.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, cutoff))));
}

export async function revokeApiToken(db: Db, id: number): Promise<boolean> {
  const res = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return res.length > 0;
}
