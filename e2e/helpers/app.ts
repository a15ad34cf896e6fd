import { execFileSync } from "node:child_process";
import { expect, type BrowserContext } from "@playwright/test";
import { withAppDb } from "./db";
import { E2E } from "./env";

/** `npm run utm -- …` against the e2e app's data (it goes through the running app's database). */
export function cli(args: string[]): string {
  return execFileSync("npm", ["run", "--silent", "utm", "--", ...args], {
    env: { ...process.env, DATA_DIR: E2E.dataDir, DATABASE_URL: E2E.databaseUrl ?? "" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 600_000,
  });
}

/** The specs share one app and database: the first to need demo data loads it. */
export async function ensureDemoData(minSessions = 1000): Promise<void> {
  const sessions = await withAppDb(async (sql) => (await sql<{ n: number }[]>`select count(*)::int as n from sessions`)[0].n);
  if (sessions < minSessions) cli(["seed-demo", "--sessions", "5000"]);
}

type Cookies = Awaited<ReturnType<BrowserContext["cookies"]>>;
/** Session cookies per e-mail + password, reused by later contexts of this worker. */
const sessions = new Map<string, Cookies>();

/**
 * Signs in through next-auth's credentials endpoint; the session cookie lands in the context.
 * Once per user and worker: later calls give a new context the same (stateless JWT) session
 * cookie, so the specs stay under the sign-in limit of 10 a minute per e-mail and address
 * (SPEC 10), which a fast run of every spec otherwise reaches.
 */
export async function signIn(context: BrowserContext, email = E2E.adminEmail, password = E2E.adminPassword): Promise<void> {
  const key = `${email}\n${password}`;
  const known = sessions.get(key);
  if (known) {
    await context.addCookies(known);
    return;
  }
  const csrf = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await context.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
  });
  expect(res.ok()).toBeTruthy();
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name.includes("next-auth.session-token"))).toBeTruthy();
  sessions.set(key, cookies.filter((c) => c.name.includes("next-auth.session-token")));
}
