import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { hashPassword } from "./passwords";

export const ROLES = ["admin", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const newUserSchema = z.object({
  email: z.email("must be an e-mail address").max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  role: z.enum(ROLES).default("viewer"),
  name: z.string().max(200).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

export async function createUser(db: Db, input: NewUser): Promise<{ id: number; email: string; role: Role }> {
  const u = newUserSchema.parse(input);
  const [row] = await db
    .insert(users)
    .values({ email: u.email, name: u.name ?? null, role: u.role, passwordHash: await hashPassword(u.password) })
    .returning({ id: users.id, email: users.email, role: users.role });
  return { id: row.id, email: row.email, role: row.role as Role };
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

export type FirstAdmin = { email: string; password?: string; source: "env" | "generated" | "existing" };

/**
 * Makes sure an admin exists (SPEC 1): from ADMIN_EMAIL/ADMIN_PASSWORD when set, else a generated
 * local admin whose password is kept in `.data/local-admin.json` (mode 600) so `npm run dev` can
 * print it on every start. Never replaces an existing admin.
 */
export async function ensureFirstAdmin(db: Db): Promise<FirstAdmin> {
  const cfg = config();
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(eq(users.role, "admin"))) as [{ n: number }];
  const localFile = path.join(cfg.dataDir, "local-admin.json");
  if (n > 0) {
    if (!cfg.adminEmail && existsSync(localFile)) {
      const saved = JSON.parse(readFileSync(localFile, "utf8")) as { email: string; password: string };
      return { ...saved, source: "generated" };
    }
    return { email: cfg.adminEmail ?? "(existing admin)", source: "existing" };
  }
  if (cfg.adminEmail && cfg.adminPassword) {
    await createUser(db, { email: cfg.adminEmail, password: cfg.adminPassword, role: "admin", name: "Admin" });
    return { email: cfg.adminEmail, source: "env" };
  }
  const creds = { email: "admin@localhost.test", password: randomBytes(9).toString("base64url") };
  await createUser(db, { ...creds, role: "admin", name: "Local admin" });
  mkdirSync(cfg.dataDir, { recursive: true });
  writeFileSync(localFile, JSON.stringify(creds), { mode: 0o600 });
  return { ...creds, source: "generated" };
}
