import { config } from "@/lib/config";
import { forbidden } from "@/lib/errors";

/**
 * CORS of the tracker endpoint (SPEC 2.2): ALLOWED_ORIGINS, default `*`. A browser request from
 * an origin that is not allowed is refused (403) rather than only unreadable, because sendBeacon
 * posts are "simple" requests that no preflight would stop.
 */

export function corsHeaders(req: Request): Headers {
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
  return h;
}

export function assertOriginAllowed(req: Request): void {
  const allowed = config().allowedOrigins;
  if (allowed === "*") return;
  const origin = req.headers.get("origin");
  // Server-to-server calls carry no Origin; only browsers are bound by the list.
  if (origin && !allowed.includes(origin)) throw forbidden("This origin may not send events");
}

export function preflightResponse(req: Request): Response {
  const h = corsHeaders(req);
  h.set("Access-Control-Allow-Methods", "POST, OPTIONS");
  h.set("Access-Control-Allow-Headers", req.headers.get("access-control-request-headers") ?? "Content-Type");
  h.set("Access-Control-Max-Age", "86400");
  return new Response(null, { status: 204, headers: h });
}
