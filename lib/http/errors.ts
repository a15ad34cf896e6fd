import { ZodError } from "zod";
import { PgliteBusyError } from "@/lib/db/pglite-owner";

/**
 * The one error mapper of every route handler (SPEC 4, 10): client mistakes become 4xx JSON
 * `{error, issues?}`, a database that cannot be reached becomes 503 with Retry-After, and
 * anything else is a 500 that carries no message or stack (it is logged instead).
 */

export type Issue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly issues?: Issue[],
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new ApiError(400, message, issues);
export const unauthorized = (message = "Authentication required") => new ApiError(401, message);
export const forbidden = (message = "Not allowed") => new ApiError(403, message);
export const notFound = (message = "Not found") => new ApiError(404, message);
export const payloadTooLarge = (message: string) => new ApiError(413, message);

/** `events[1].type` from zod's ["events", 1, "type"]; a prefix names the parameter group. */
export function issuePath(path: PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}

export function zodIssues(err: ZodError, prefix = ""): Issue[] {
  return err.issues.map((i) => ({ path: issuePath(i.path, prefix), message: i.message }));
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** True when the error means "the database cannot be reached right now", on either driver. */
export function isDbUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof PgliteBusyError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some(isDbUnavailable)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(body, { status, headers });
}

export function errorResponse(err: unknown, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) h.set(k, v);
    const body: { error: string; issues?: Issue[] } = { error: err.message };
    if (err.issues) body.issues = err.issues;
    return json(body, err.status, h);
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
