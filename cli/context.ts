import type { Command } from "commander";
import { ZodError } from "zod";
import { config, ConfigError } from "@/lib/config";
import { openDb, resolveOpenOptions, setDbHandle, type Db, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { isUniqueViolation } from "@/lib/db/pg-errors";
import { PgliteBusyError } from "@/lib/db/pglite-owner";
import { AppError } from "@/lib/errors";

/**
 * What every `npm run utm` command shares: opening the database the way the app does (PostgreSQL,
 * the running app's socket, or PGlite directly), and turning any failure into ONE clear line on
 * stderr with a non-zero exit code.
 */

/** A command registers itself on the program; adding a command is one file plus one list entry. */
export type CliCommand = (program: Command) => void;

/** Lines a command prints; the token command's last line is the token alone (scripts read it). */
export type Out = (line: string) => void;
export const stdout: Out = (line) => console.log(line);

export async function withDb<T>(fn: (db: Db, handle: DbHandle) => Promise<T>): Promise<T> {
  config(); // a ConfigError here names the variable before anything is opened
  const handle = await openDb(resolveOpenOptions());
  setDbHandle(handle);
  try {
    await migrate(handle);
    return await fn(handle.db, handle);
  } finally {
    setDbHandle(undefined);
    await handle.close();
  }
}

type PgError = { code?: string; detail?: string; message: string };

export function errorLine(err: unknown): string {
  if (err instanceof ConfigError || err instanceof PgliteBusyError) return err.message;
  if (err instanceof ZodError) {
    return "Invalid input: " + err.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
  }
  if (err instanceof AppError) {
    const issues = err.issues ?? [];
    const shown = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
    return shown.length ? `${err.message}: ${shown.join("; ")}${more}` : err.message;
  }
  // drizzle wraps driver errors ("Failed query: ... params: ...", which would print values such as
  // a password hash): the driver's own error, in `cause`, is the one to show.
  let e = err as PgError & { cause?: unknown };
  while (e && !e.code && e.cause && typeof e.cause === "object") e = e.cause as PgError & { cause?: unknown };
  // postgres.js and PGlite both carry the SQLSTATE in `code`.
  if (isUniqueViolation(e)) return `Already exists${e.detail ? `: ${e.detail}` : ""}`;
  if (e?.code === "ECONNREFUSED") return `Cannot reach the database (${e.message})`;
  const message = e?.message ? String(e.message) : String(err);
  return message.startsWith("Failed query:") ? "Database query failed" : message;
}

export class CliError extends Error {}

/** Wraps a command's action: one line on stderr and exit code 1 on failure. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      console.error(`Error: ${errorLine(err)}`);
      process.exitCode = 1;
    }
  };
}
