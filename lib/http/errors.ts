import { ZodError } from "zod";
import { AppError, zodIssues, type ErrorCode, type Issue } from "@/lib/errors";
import { isDbUnavailable } from "@/lib/db/unavailable";

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

export function errorResponse(err: unknown, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  if (err instanceof AppError) {
    if (err.retryAfter !== undefined) h.set("Retry-After", String(err.retryAfter));
    const body: { error: string; issues?: Issue[] } = { error: err.message };
    if (err.issues) body.issues = err.issues;
    return json(body, statusOf(err), h);
  }
  if (err instanceof ZodError) {
    return json({ error: "Invalid input", issues: zodIssues(err) }, 400, h);
  }
  if (isDbUnavailable(err)) {
    h.set("Retry-After", "30");
    return json({ error: "The database is unavailable; try again shortly" }, 503, h);
  }
  // Logged for the operator without request data (no tokens or bodies in logs).
  console.error("[utmd] unhandled error:", err instanceof Error ? err.stack ?? err.message : err);
  return json({ error: "Internal error" }, 500, h);
}
