import { TRACKER_ETAG, TRACKER_JS } from "@/lib/tracker/built";
import { BASE_SECURITY_HEADERS } from "@/lib/http/security-headers";

/**
 * GET /t.js — the browser tracker (SPEC 2.1), embedded by shops on other origins: CORS `*`,
 * cached for an hour by browsers and CDNs, revalidated cheaply by ETag. The source is generated
 * into lib/tracker/built.ts by scripts/build-tracker.ts, so serving it touches neither the file
 * system nor the database.
 */

const headers = {
  "Content-Type": "application/javascript; charset=utf-8",
  "Cache-Control": "public, max-age=3600",
  "Access-Control-Allow-Origin": "*",
  "Cross-Origin-Resource-Policy": "cross-origin",
  // proxy.ts skips this hot path, so the non-CSP security headers are set here (SPEC 16).
  ...BASE_SECURITY_HEADERS,
  ETag: TRACKER_ETAG,
};

export function GET(req: Request): Response {
  const seen = req.headers.get("if-none-match");
  if (seen && seen.split(",").some((t) => t.trim().replace(/^W\//, "") === TRACKER_ETAG)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(TRACKER_JS, { status: 200, headers });
}
