import { findApiToken, type Scope, type TokenPrincipal } from "@/lib/auth/api-tokens";
import { getSessionUser, type SessionUser } from "@/lib/http/session";
import { verifyShareToken, type SharePrincipal } from "@/lib/auth/share-links";
import type { Role } from "@/lib/auth/users";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { withRefreshDeadline } from "@/lib/analytics/rollups/deadline";
import { assertCronSecret } from "./cron-secret";
import { forbidden, unauthorized } from "@/lib/errors";
import { errorResponse } from "./errors";
import { singleValuedParams } from "./query";

/**
 * The one guard of every route handler. A handler declares what it accepts; the guard finds the
 * caller (Bearer API token, share token, or signed-in session), answers 401 when there is none
 * it accepts and 403 when the caller lacks the role or scope, and maps every error the handler
 * throws through the one error mapper.
 *
 *   export const GET = withGuard({ role: "viewer", scope: "read", share: true }, async (req, { principal }) => ...)
 */

export type { SharePrincipal };

export type Principal =
  | { kind: "user"; user: SessionUser }
  | { kind: "token"; token: TokenPrincipal }
  | { kind: "share"; share: SharePrincipal }
  | { kind: "cron" }
  | { kind: "anonymous" };

export type Needs = {
  /** Lowest role a signed-in user needs; omit to refuse sessions. */
  role?: Role;
  /** Scope an API token needs; omit to refuse tokens. */
  scope?: Scope;
  /** Accept a share token (read-only dashboard views). */
  share?: boolean;
  /** Only `Authorization: Bearer $CRON_SECRET` (the scheduled report route). */
  cron?: boolean;
  /** No credentials needed (collect, t.js). */
  public?: boolean;
  /**
   * The body kinds a state-changing route accepts from a signed-in browser, "|"-separated:
   * json = application/json, multipart = multipart/form-data, csv = text/csv (SPEC 16). A write
   * without it takes no body (DELETE).
   */
  body?: BodySpec;
};

export type BodyKind = "json" | "multipart" | "csv";
export type BodySpec = BodyKind | `${BodyKind}|${BodyKind}` | `${BodyKind}|${BodyKind}|${BodyKind}`;

const BODY_MIMES: Record<BodyKind, string[]> = {
  json: ["application/json"],
  multipart: ["multipart/form-data"],
  csv: ["text/csv"],
};

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The origins this app answers as (SPEC 21): APP_URL's, the one the request was addressed to, and,
 * when this process runs inside the app's own server wrapper (npm start's front server or npm run
 * dev: lib/runtime/peer-header.cjs), the host the browser used, i.e. the request's `Host`. So
 * opening the app at http://127.0.0.1:PORT or a LAN address works without setting APP_URL. Safe
 * for CSRF: a foreign page's Origin never equals our Host, and a DNS-rebound host carries no
 * session cookie of ours.
 */
export function ownOrigins(req: Request): string[] {
  const out = [new URL(config().appUrl).origin];
  try {
    out.push(new URL(req.url).origin);
  } catch {
    // a request URL that does not parse names no origin
  }
  const host = process.env.UTMD_PEER_HEADER === "1" ? req.headers.get("host")?.trim().toLowerCase() : undefined;
  if (host && /^[a-z0-9.\-[\]:]+$/.test(host)) out.push(`http://${host}`, `https://${host}`);
  return out;
}

/**
 * SPEC 16 (CSRF): a state-changing request authenticated by the session cookie must come from
 * this app's own origin (`Origin`, or when a browser sends none, `Sec-Fetch-Site: same-origin`)
 * and carry the content type the route declares (exact mime). A same-site page on another port or
 * subdomain sends the cookie but not our Origin: 403. A form or a CORS-safelisted fetch cannot
 * send application/json: 403 too (SPEC 16). Bearer tokens and anonymous endpoints never reach this check.
 */
export function assertSameOriginWrite(req: Request, needs: Needs): void {
  if (!WRITE_METHODS.has(req.method.toUpperCase())) return;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    if (!ownOrigins(req).includes(origin.trim().toLowerCase())) throw forbidden("Cross-origin requests cannot change data");
  } else if ((req.headers.get("sec-fetch-site") ?? "").toLowerCase() !== "same-origin") {
    throw forbidden("Cross-origin requests cannot change data");
  }
  if (!needs.body) return;
  const mime = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const kinds = needs.body.split("|") as BodyKind[];
  if (!kinds.some((k) => BODY_MIMES[k].includes(mime))) {
    throw forbidden(`Cross-site-safe writes only: send ${kinds.map((k) => BODY_MIMES[k][0]).join(" or ")}`);
  }
}

export type GuardContext<P> = { principal: Principal; params: P };

const ROLE_RANK: Record<Role, number> = { viewer: 1, admin: 2 };

export function bearerToken(req: Request): string | undefined {
  const h = req.headers.get("authorization");
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : "";
}

export function shareToken(req: Request): string | undefined {
  const fromHeader = req.headers.get("x-share-token");
  if (fromHeader) return fromHeader;
  return new URL(req.url).searchParams.get("share") ?? undefined;
}

export async function authenticate(req: Request, needs: Needs): Promise<Principal> {
  if (needs.cron) {
    assertCronSecret(req, config().cronSecret);
    return { kind: "cron" };
  }
  // A purely public endpoint (collect, t.js) ignores credentials: a signed-in admin browsing the
  // shop, or a stray Authorization header, must not turn a tracker hit into a 403, and the hot
  // path skips the session lookup.
  if (needs.public && !needs.role && !needs.scope && !needs.share) return { kind: "anonymous" };
  const bearer = bearerToken(req);
  if (bearer !== undefined) {
    const token = bearer ? await findApiToken(await getDb(), bearer) : undefined;
    if (!token) throw unauthorized("Invalid or revoked API token");
    if (!needs.scope) throw forbidden("API tokens cannot use this endpoint");
    if (!token.scopes.includes(needs.scope)) throw forbidden(`This API token lacks the "${needs.scope}" scope`);
    return { kind: "token", token };
  }
  const share = shareToken(req);
  if (share !== undefined) {
    if (!needs.share) throw forbidden("Share links are read-only and cannot use this endpoint");
    const { linkId, params } = await verifyShareToken(share);
    return { kind: "share", share: { linkId, params } };
  }
  const user = await getSessionUser();
  if (user) {
    if (!needs.role) throw forbidden("Use an API token for this endpoint");
    if (ROLE_RANK[user.role] < ROLE_RANK[needs.role]) throw forbidden(`This needs the ${needs.role} role`);
    assertSameOriginWrite(req, needs);
    return { kind: "user", user };
  }
  if (needs.public) return { kind: "anonymous" };
  throw unauthorized();
}

type RouteContext<P> = { params: Promise<P> };

export function withGuard<P = Record<string, never>>(
  needs: Needs,
  handler: (req: Request, ctx: GuardContext<P>) => Promise<Response>,
): (req: Request, ctx: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    try {
      // SPEC 21: a parameter given twice with different values is 400 on every route, whether or
      // not the route reads it (filters may repeat: they mean "any of"). Before authentication:
      // the answer tells nothing about the caller or the data.
      singleValuedParams(req);
      const principal = await authenticate(req, needs);
      const params = ((await ctx?.params) ?? {}) as P;
      // SPEC 21: a report stops preparing day cells once STATEMENT_TIMEOUT_MS has passed (503, kept for the retry).
      return await withRefreshDeadline(config().statementTimeoutMs, () => handler(req, { principal, params }));
    } catch (err) {
      return errorResponse(err);
    }
  };
}
