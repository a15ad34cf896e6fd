import { ZodError } from "zod";
import { AppError, zodIssues, type ErrorCode, type Issue } from "@/lib/errors";
import { isDbUnavailable, noteDatabaseUnavailable } from "@/lib/db/unavailable";
import { isStatementTimeout } from "@/lib/db/pg-errors";
import { config } from "@/lib/config";
import { UUIDS_IN_TEXT } from "@/lib/ids";

export { isDbUnavailable };

/**
 * The one error mapper of every route handler (SPEC 4, 10): client mistakes become 4xx JSON
 * `{error, issues?}`, a database that cannot be reached becomes 503 with Retry-After, and
 * anything else is a 500 that carries no message or stack (it is logged instead).
 */

/** The one table from a domain error code to an HTTP status. */
const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export function statusOf(err: AppError): number {
  return STATUS[err.code];
}

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(body, { status, headers });
}

/** An answer as status, headers and JSON text, for a door that writes it without a web Response. */
export type Answer = { status: number; headers: Headers; body: string };

export function errorResponse(err: unknown, headers?: HeadersInit): Response {
  const a = errorAnswer(err, headers);
  return new Response(a.body, { status: a.status, headers: a.headers });
}

/** errorResponse's answer in parts (lib/runtime/front-server.ts writes it to node:http). */
export function errorAnswer(err: unknown, headers?: HeadersInit): Answer {
  const h = new Headers(headers);
  const answer = (body: unknown, status: number): Answer => {
    h.set("content-type", "application/json");
    return { status, headers: h, body: JSON.stringify(body) };
  };
  if (err instanceof AppError) {
    if (err.code === "unavailable") noteDatabaseUnavailable();
    if (err.retryAfter !== undefined) h.set("Retry-After", String(err.retryAfter));
    const body: { error: string; issues?: Issue[] } = { error: err.message };
    if (err.issues) body.issues = err.issues;
    return answer(body, statusOf(err));
  }
  if (err instanceof ZodError) {
    return answer({ error: "Invalid input", issues: zodIssues(err) }, 400);
  }
  if (isStatementTimeout(err)) {
    // The database is well; this one statement ran past STATEMENT_TIMEOUT_MS (SPEC 21).
    h.set("Retry-After", "30");
    return answer({ error: `The query ran longer than STATEMENT_TIMEOUT_MS (${config().statementTimeoutMs} ms) and was stopped; choose a shorter range or fewer filters` }, 503);
  }
  if (isDbUnavailable(err)) {
    noteDatabaseUnavailable();
    h.set("Retry-After", "30");
    return answer({ error: "The database is unavailable; try again shortly" }, 503);
  }
  logError("unhandled error", err);
  return answer({ error: "Internal error" }, 500);
}

/**
 * A log line for an error that carries no request data (SPEC 16 privacy): the error's class, code
 * and message with every quoted literal and long id-like token masked, and the stack frames. Never
 * the error object itself: a driver error's own fields hold the SQL parameters (order, visitor,
 * customer ids) and the URL of the request may hold query parameters.
 */
export function safeErrorSummary(err: unknown): string {
  if (!(err instanceof Error)) return `non-error value (${typeof err})`;
  const line = (e: Error) => {
    const code = (e as { code?: unknown }).code;
    // First line only: drizzle appends "params: …" (the SQL parameters) on the next.
    return `${e.name}${typeof code === "string" ? ` [${code.replace(/[^\w.-]/g, "")}]` : ""}: ${redact(e.message.split("\n")[0])}`;
  };
  const cause = (err as { cause?: unknown }).cause;
  const head = line(err) + (cause instanceof Error ? ` (cause: ${line(cause)})` : "");
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8).map(redact);
  return [head, ...frames].join("\n");
}

/** Masks what may be client data in a message: quoted strings, URLs' query strings, uuids and long tokens. */
export function redact(text: string): string {
  return text
    .replace(/\?[^\s"'()]*/g, (q) => (q.length > 1 ? "?…" : q))
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, (m) => `${m[0]}…${m[0]}`)
    .replace(UUIDS_IN_TEXT, "<uuid>")
    .replace(/\([^()]*\)=\([^()]*\)/g, "(…)=(…)");
}

export function logError(context: string, err: unknown): void {
  console.error(`[utmd] ${context}: ${safeErrorSummary(err)}`);
}
