import type { AppConfig } from "@/lib/config";
import type { DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ensureFirstAdmin, type FirstAdmin } from "@/lib/auth/users";
import { DEFAULT_DEMO_SESSIONS, hasSessions, seedDemo } from "@/lib/demo/seed";
import { embeddedSize, sizeWarningLine } from "@/lib/db/size-warning";
import { progressBar } from "./progress";

/**
 * The start-up work of `npm run dev` / `npm start`, done once before Next.js starts: migrations,
 * the first admin, and demo data into an empty database when DEMO_DATA=1 (SPEC 1).
 */

export type Prepared = { admin: FirstAdmin; demo: { loaded: boolean; sessions: number; ms: number } };

export async function prepareDatabase(
  handle: DbHandle,
  cfg: AppConfig,
  log: (line: string) => void,
  demoSessions = DEFAULT_DEMO_SESSIONS,
): Promise<Prepared> {
  await migrate(handle);
  log("Migrations applied.");
  const size = sizeWarningLine(await embeddedSize(handle));
  if (size) log(size);
  const admin = await ensureFirstAdmin(handle.db);
  if (!cfg.demoData) return { admin, demo: { loaded: false, sessions: 0, ms: 0 } };
  if (await hasSessions(handle.db)) {
    log("Demo data: skipped, the database already holds sessions.");
    return { admin, demo: { loaded: false, sessions: 0, ms: 0 } };
  }
  log(`Loading demo data (${demoSessions.toLocaleString("en-US")} sessions, last 180 days)...`);
  const bar = progressBar("demo data", demoSessions);
  try {
    const res = await seedDemo(handle.db, { sessions: demoSessions, onProgress: (p) => bar.update(p.sessionsDone) });
    bar.stop();
    log(`Demo data loaded: ${res.sessions} sessions, ${res.events} events, ${res.orders} orders in ${(res.ms / 1000).toFixed(1)} s.`);
    return { admin, demo: { loaded: true, sessions: res.sessions, ms: res.ms } };
  } catch (err) {
    bar.stop();
    throw err;
  }
}

export function signInLines(admin: FirstAdmin): string[] {
  if (admin.source === "generated" && admin.password) {
    return [`  E-mail:    ${admin.email}`, `  Password:  ${admin.password}   (generated local admin, kept in DATA_DIR/local-admin.json)`];
  }
  if (admin.source === "env") return [`  E-mail:    ${admin.email}`, "  Password:  the ADMIN_PASSWORD you configured"];
  return [`  Sign in with an existing admin account${admin.email.startsWith("(") ? "" : ` (${admin.email})`}.`, "  (create one: npm run utm -- user create --email you@example.com --password ... --role admin)"];
}
