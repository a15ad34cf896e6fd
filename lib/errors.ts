import type { ZodError } from "zod";

/**
 * Coded errors of the domain (SPEC 4, 10). Domain code (lib/analytics, lib/ingest, lib/reports,
 * lib/auth) throws these and knows nothing of HTTP; the edge maps each code to a status in one
 * table (lib/http/errors.ts) and the CLI prints them.
 */

export type ErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable";

export type Issue = { path: string; message: string };

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly issues?: Issue[],
    /** Seconds a client should wait before trying again (rate limits, a disabled feature). */
    public readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new AppError("invalid_input", message, issues);
export const unauthorized = (message = "Authentication required") => new AppError("unauthenticated", message);
export const forbidden = (message = "Not allowed") => new AppError("forbidden", message);
export const notFound = (message = "Not found") => new AppError("not_found", message);
export const payloadTooLarge = (message: string) => new AppError("too_large", message);
export const unsupportedMediaType = (message: string) => new AppError("unsupported_media_type", message);
export const unavailable = (message: string, retryAfter?: number) => new AppError("unavailable", message, undefined, retryAfter);
export const tooManyRequests = (message: string, retryAfter: number) =>
  new AppError("rate_limited", message, undefined, retryAfter);

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
