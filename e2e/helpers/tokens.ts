import { execFileSync } from "node:child_process";
import { E2E } from "./env";

/**
 * Creates an API token the way an operator does: `npm run utm -- token create` against the
 * running e2e app's database (the CLI goes through the app's socket). The token is the last line.
 */
export function createApiToken(name: string, scopes: ("read" | "ingest")[]): string {
  const out = execFileSync("npm", ["run", "--silent", "utm", "--", "token", "create", "--name", name, "--scopes", scopes.join(",")], {
    env: { ...process.env, DATA_DIR: E2E.dataDir, DATABASE_URL: E2E.databaseUrl ?? "" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  const token = out.trim().split("\n").pop()?.trim() ?? "";
  if (!/^\S{20,}$/.test(token)) throw new Error(`token create printed no token:\n${out}`);
  return token;
}
