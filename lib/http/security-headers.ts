/**
 * Response headers of every page and answer (SPEC 16), built in one place and set by proxy.ts.
 *
 * - Content-Security-Policy: scripts only from this app: 'self' plus the per-request nonce Next.js
 *   puts on its own inline scripts ('strict-dynamic' lets those load their chunks); no plugins, no
 *   <base> tricks, forms post only here, nothing frames the app (`frame-ancestors 'none'`) except
 *   share views, whose ancestors come from SHARE_FRAME_ANCESTORS (default 'none'). Styles allow
 *   inline style attributes (charts and React set them; nonces do not cover attributes).
 * - X-Content-Type-Options: nosniff; Referrer-Policy: strict-origin-when-cross-origin;
 *   Strict-Transport-Security when APP_URL is https.
 * The tracker (/t.js) and /api/collect are loaded by other sites: no CORP/COEP is sent, and the
 * CSP of a script or JSON answer does not restrict the page that loads it.
 */

export type SecurityHeaderOptions = {
  nonce: string;
  pathname: string;
  appUrl: string;
  shareFrameAncestors: string;
  /** `next dev` needs eval for React's debugging tools. */
  dev?: boolean;
};

export function isShareView(pathname: string): boolean {
  return pathname === "/share" || pathname.startsWith("/share/");
}

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  const ancestors = isShareView(o.pathname) ? o.shareFrameAncestors : "'none'";
  const https = o.appUrl.startsWith("https:");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${o.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * The headers every answer carries, CSP aside: also set by the answers proxy.ts skips (the
 * tracker script, collect's CORS answers), so they are written once here.
 */
export const BASE_SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
} as const;

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  const h: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(o),
    ...BASE_SECURITY_HEADERS,
  };
  // Legacy browsers ignore frame-ancestors; X-Frame-Options covers them where framing is refused.
  if (!isShareView(o.pathname) || o.shareFrameAncestors === "'none'") h["X-Frame-Options"] = "DENY";
  if (o.appUrl.startsWith("https:")) h["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return h;
}

/** A URL path whose percent-encoding does not decode to UTF-8 (`%FF`, `%E0%A4%A`). */
export function hasInvalidPercentEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}
