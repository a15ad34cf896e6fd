import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/config";
import { databaseReachable } from "@/lib/db/health";
import { isAllowedMethod, methodNotAllowedAnswer } from "@/lib/http/methods";
import { hasInvalidPercentEncoding, securityHeaders } from "@/lib/http/security-headers";
import { UNAVAILABLE_RETRY_AFTER, unavailablePageHtml } from "@/lib/http/unavailable-page";

/**
 * Next.js 16 proxy (the former middleware), on every request but static build files and the
 * tracker's /api/collect and /t.js:
 * - a method the app does not answer (TRACE, made-up verbs) is 405 (lib/http/methods.ts);
 * - a path with invalid percent-encoding answers 400 (JSON under /api) instead of Next's
 *   plain-text 500 when it decodes route parameters (SPEC 16);
 * - dashboard pages answer a styled "database unavailable" page with status 503 while the
 *   database cannot be reached (lib/db/health.ts; a healthy database is probed at most every 2 s);
 * - a fresh CSP nonce per request, handed to Next.js through the request's
 *   Content-Security-Policy header (Next puts it on its scripts) and sent with the answer along
 *   with the other security headers (lib/http/security-headers.ts).
 */

/** Dashboard pages read the database; while it is unreachable they answer the 503 page. */
const DATABASE_PAGES = /^\/(?:$|dispatcher(?:\/|$)|settings(?:\/|$)|share(?:\/|$))/;

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const pathname = request.nextUrl.pathname;
  if (!isAllowedMethod(request.method)) {
    const a = methodNotAllowedAnswer(pathname, request.method);
    return new NextResponse(a.body, { status: a.status, headers: a.headers });
  }
  if (hasInvalidPercentEncoding(pathname)) {
    const res = pathname.startsWith("/api/")
      ? NextResponse.json({ error: "The URL path is not valid UTF-8 percent-encoding" }, { status: 400 })
      : new NextResponse("Bad request: the URL path is not valid UTF-8 percent-encoding", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
    res.headers.set("X-Content-Type-Options", "nosniff");
    return res;
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const cfg = appConfig();
  const headers = securityHeaders({
    nonce,
    pathname,
    appUrl: cfg.appUrl,
    shareFrameAncestors: cfg.shareFrameAncestors,
    dev: process.env.NODE_ENV === "development",
  });
  if (DATABASE_PAGES.test(pathname) && request.method === "GET" && !(await databaseReachable())) {
    const res = new NextResponse(unavailablePageHtml(), {
      status: 503,
      headers: { "content-type": "text/html; charset=utf-8", "retry-after": String(UNAVAILABLE_RETRY_AFTER), "cache-control": "no-store" },
    });
    for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
    return res;
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

// The tracker's two endpoints need no CSP nonce or security headers (t.js sets its own nosniff)
// and are the hottest paths: proxy.ts costs ~1.5 ms of CPU per request.
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|api/collect$|t\\.js$).*)" }],
};
