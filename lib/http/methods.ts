/**
 * The HTTP methods the app answers (SPEC 21). Anything else (TRACE, CONNECT, PROPFIND, made-up
 * verbs) is refused with 405 before it reaches a route: Next.js answered TRACE on an API route
 * with a 500. Used by the proxy (next dev, Vercel) and by npm start's front server, so both doors
 * refuse the same set.
 */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const ALLOWED = new Set<string>(ALLOWED_METHODS);

export function isAllowedMethod(method: string | undefined): boolean {
  return ALLOWED.has((method ?? "GET").toUpperCase());
}

/** The 405 answer's parts: JSON under /api, plain text elsewhere, with `Allow`. */
export function methodNotAllowedAnswer(pathname: string, method: string): { status: 405; headers: Record<string, string>; body: string } {
  const allow = ALLOWED_METHODS.join(", ");
  const message = `The method ${method.slice(0, 32)} is not allowed; use one of ${allow}`;
  const api = pathname.startsWith("/api/");
  return {
    status: 405,
    headers: {
      allow,
      "content-type": api ? "application/json" : "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
    body: api ? JSON.stringify({ error: message }) : message,
  };
}
