import { z } from "zod";
import { createApiToken, scopesSchema } from "@/lib/auth/api-tokens";
import { listApiTokens } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";

/** API tokens: list (no secrets), create (the token is in this answer only). Admins only. */
const createSchema = z.object({ name: z.string().trim().min(1, "must not be empty").max(200), scopes: scopesSchema });

export const GET = withGuard({ role: "admin" }, async () => Response.json({ tokens: await listApiTokens(await getDb()) }));

export const POST = withGuard({ role: "admin", body: "json" }, async (req, { principal }) => {
  const input = await readJson(req, createSchema);
  const created = await createApiToken(await getDb(), { ...input, createdBy: principal.kind === "user" ? principal.user.id : null });
  return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
