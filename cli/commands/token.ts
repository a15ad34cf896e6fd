import { createApiToken, SCOPES, scopesSchema } from "@/lib/auth/api-tokens";
import type { Db } from "@/lib/db/client";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

/** Prints what was created, then the token ALONE on the last line so scripts can `tail -n1`. */
export async function runTokenCreate(db: Db, opts: { name: string; scopes: string }, out: Out = stdout): Promise<void> {
  const name = opts.name.trim();
  if (!name || name.length > 200) throw new Error("--name must be 1 to 200 characters");
  const asked = opts.scopes
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length || asked.length === 0) {
    throw new Error(`--scopes must be a comma-separated list of ${SCOPES.join(", ")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}`);
  }
  const scopes = scopesSchema.parse(asked);
  const { id, token } = await createApiToken(db, { name, scopes });
  out(`Created API token #${id} "${name}" with scopes ${scopes.join(",")}. It is shown once; store it now:`);
  out(token);
}

export const tokenCommand: CliCommand = (program) => {
  const token = program.command("token").description("manage API tokens");
  token
    .command("create")
    .description("create an API token (printed alone on the last line)")
    .requiredOption("--name <name>", "what the token is for, e.g. shop-backend")
    .option("--scopes <scopes>", "comma-separated: read, ingest", "read")
    .action(action(async (opts: { name: string; scopes: string }) => withDb((db) => runTokenCreate(db, opts))));
};
