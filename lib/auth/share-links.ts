import { createHmac, timingSafeEqual } from "node:crypto";
import { desc, eq, and, isNull } from "drizzle-orm";
import { z } from "zod";
import { isFilterParam, parseAnalyticsQuery, toRecord } from "@/lib/analytics/params";
import { SHAREABLE_PARAMS } from "@/lib/analytics/vocabulary";
import type { ShareParams } from "@/lib/analytics/share-scope";
import { config } from "@/lib/config";
import { getDb, type Db } from "@/lib/db/client";
import { shareLinks } from "@/lib/db/schema";
import { badRequest, unauthorized } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/**
 * Share links (SPEC 6, 10): a row in `share_links` holds the locked view (its query parameters),
 * its expiry and revocation; the token handed out is `<id>.<HMAC-SHA256(id, AUTH_SECRET)>` in
 * base64url. The signature lets a forged or truncated token be refused without a query; the row
 * makes revocation immediate. What a shared view may ask for is checked per request by
 * lib/analytics/share-scope.ts (`assertShareAllows`).
 */

export { SHAREABLE_PARAMS };

const MAX_DAYS = 365;
export const createShareLinkSchema = z.object({
  name: z.string().trim().max(200, "must be at most 200 characters").optional(),
  /** The dashboard query string (or an object of parameters) to lock. */
  params: z.union([z.string().max(4000), z.record(z.string(), z.union([z.string().max(500), z.array(z.string().max(500)).max(50)]))]),
  expires_in_days: z.coerce
    .number({ error: `must be a whole number of days from 1 to ${MAX_DAYS}` })
    .int(`must be a whole number of days from 1 to ${MAX_DAYS}`)
    .min(1, `must be a whole number of days from 1 to ${MAX_DAYS}`)
    .max(MAX_DAYS, `must be a whole number of days from 1 to ${MAX_DAYS}`)
    .default(7),
});
export type CreateShareLinkInput = z.input<typeof createShareLinkSchema>;

/**
 * Keeps only the shareable parameters; the range and filters must be a valid analytics query. A
 * repeated filter (SPEC 12: `utm_source=google&utm_source=bing`, `not_…`) is kept as a list.
 */
export function lockedParams(input: string | ShareParams): ShareParams {
  const sp = typeof input === "string" ? new URLSearchParams(input.replace(/^\?/, "")) : shareSearchParams(input);
  const out: ShareParams = {};
  // A non-filter parameter given twice with different values is ambiguous: 400 naming it.
  toRecord(new URLSearchParams([...sp].filter(([k]) => SHAREABLE_PARAMS.includes(k))));
  for (const k of SHAREABLE_PARAMS) {
    const values = [...new Set(sp.getAll(k).filter((v) => v !== ""))];
    if (values.length === 0) continue;
    out[k] = isFilterParam(k) && values.length > 1 ? values : values[0];
  }
  // Throws 400 naming the parameter when the view itself is invalid.
  parseAnalyticsQuery(out);
  return out;
}

/** Share parameters as a query string (a list becomes a repeated parameter). */
export function shareSearchParams(params: ShareParams): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
  return sp;
}

function signature(id: string, secret = config().authSecret): string {
  return createHmac("sha256", secret).update(id).digest("base64url");
}

export function signShareId(id: string): string {
  return `${id}.${signature(id)}`;
}


/** The link id of a correctly signed token, else undefined (no database access). */
export function verifyShareSignature(token: string): string | undefined {
  if (typeof token !== "string" || token.length > 200) return undefined;
  const dot = token.indexOf(".");
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (!isUuid(id)) return undefined;
  const want = Buffer.from(signature(id));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want) ? id.toLowerCase() : undefined;
}

export type ShareLinkRow = {
  id: string;
  name: string | null;
  params: ShareParams;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
};

export async function createShareLink(
  db: Db,
  input: CreateShareLinkInput,
  createdBy: number | null = null,
  now = new Date(),
): Promise<{ id: string; token: string; params: ShareParams; expiresAt: Date }> {
  const parsed = createShareLinkSchema.safeParse(input);
  if (!parsed.success) {
    throw badRequest(
      "Invalid share link",
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    );
  }
  const params = lockedParams(parsed.data.params);
  const expiresAt = new Date(now.getTime() + parsed.data.expires_in_days * 86_400_000);
  const [row] = await db
    .insert(shareLinks)
    .values({ name: parsed.data.name || null, params, createdBy, expiresAt })
    .returning({ id: shareLinks.id });
  return { id: row.id, token: signShareId(row.id), params, expiresAt };
}

/**
 * The share principal of a token: 401 for a bad signature, an unknown id, an expired or a revoked
 * link (one message for all, so a token's state is not disclosed).
 */
/** Who a valid share token lets in: the link and the view it locks. */
export type SharePrincipal = { linkId: string; params: ShareParams };

export async function verifyShareToken(token: string, db?: Db, now = new Date()): Promise<SharePrincipal & { expiresAt: Date }> {
  const id = verifyShareSignature(token);
  if (!id) throw unauthorized("Invalid, expired or revoked share link");
  const handle = db ?? (await getDb());
  const [row] = await handle
    .select({ params: shareLinks.params, expiresAt: shareLinks.expiresAt, revokedAt: shareLinks.revokedAt })
    .from(shareLinks)
    .where(eq(shareLinks.id, id))
    .limit(1);
  if (!row || row.revokedAt || row.expiresAt.getTime() <= now.getTime()) {
    throw unauthorized("Invalid, expired or revoked share link");
  }
  return { linkId: id, params: row.params as ShareParams, expiresAt: row.expiresAt };
}

export async function listShareLinks(db: Db, now = new Date()): Promise<(ShareLinkRow & { token: string; active: boolean })[]> {
  const got = await db.select().from(shareLinks).orderBy(desc(shareLinks.createdAt)).limit(200);
  return got.map((r) => ({
    id: r.id,
    name: r.name,
    params: r.params as ShareParams,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    // Re-derivable from the id, so admins can copy a live link again; nothing secret is stored.
    token: signShareId(r.id),
    active: !r.revokedAt && r.expiresAt.getTime() > now.getTime(),
  }));
}

export async function revokeShareLink(db: Db, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const res = await db
    .update(shareLinks)
    .set({ revokedAt: new Date() })
    .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id });
  return res.length > 0;
}

/** `/share/<token>?<locked params>` relative to the app. */
export function sharePath(token: string, params: ShareParams): string {
  const qs = shareSearchParams(params).toString();
  return `/share/${encodeURIComponent(token)}${qs ? `?${qs}` : ""}`;
}
