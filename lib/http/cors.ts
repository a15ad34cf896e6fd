import { config } from "@/lib/config";
import { forbidden } from "@/lib/errors";
import type { HeaderReader } from "./body";
import { BASE_SECURITY_HEADERS } from "./security-headers";

/**
 * CORS of the tracker endpoint (SPEC 2.2): ALLOWED_ORIGINS, default `*`. A browser request from
 * an origin that is not allowed is refused (403) rather than only unreadable, because sendBeacon
 * posts are "simple" requests that no preflight would stop; the answer names the reason in
 * `X-Utmd-Dropped: origin` (SPEC 16), which pages of allowed origins may read (exposed header).
 */

/** SPEC 16: why /api/collect dropped a hit (`bot`, `origin`). */
export const DROPPED_HEADER = "X-Utmd-Dropped";

export function corsHeaders(req: { headers: HeaderReader }): Headers {
  const h = new Headers();
  const allowed = config().allowedOrigins;
  const origin = req.headers.get("origin");
  if (allowed === "*") {
    h.set("Access-Control-Allow-Origin", "*");
  } else if (origin && allowed.includes(origin)) {
    h.set("Access-Control-Allow-Origin", origin);
    h.set("Vary", "Origin");
  } else {
    h.set("Vary", "Origin");
  }
  h.set("Access-Control-Expose-Headers", DROPPED_HEADER);
  // proxy.ts and the front server's fast path skip the page headers here; the base ones still apply.
  for (const [k, v] of Object.entries(BASE_SECURITY_HEADERS)) h.set(k, v);
  return h;
}

/** False for a browser request from an origin outside ALLOWED_ORIGINS. */
export function originAllowed(req: { headers: HeaderReader }): boolean {
  const allowed = config().allowedOrigins;
  if (allowed === "*") return true;
  const origin = req.headers.get("origin");
  // Server-to-server calls carry no Origin; only browsers are bound by the list.
  return !origin || allowed.includes(origin);
}

export function assertOriginAllowed(req: Request): void {
  if (!originAllowed(req)) throw forbidden("This origin may not send events");
}

export function preflightResponse(req: Request): Response {
  const h = corsHeaders(req);
  h.set("Access-Control-Allow-Methods", "POST, OPTIONS");
  h.set("Access-Control-Allow-Headers", req.headers.get("access-control-request-headers") ?? "Content-Type");
  h.set("Access-Control-Max-Age", "86400");
  return new Response(null, { status: 204, headers: h });
}
