import { createHash } from "node:crypto";
import { importPKCS8, SignJWT } from "jose";
import { config } from "@/lib/config";
import { PlatformError } from "./outcome";

/**
 * Google's OAuth 2.0 token for a service account (the JWT bearer grant, RFC 7523, as Google's
 * "Using OAuth 2.0 for Server to Server Applications" documents): an RS256 JWT signed with the
 * key's private_key (jose), exchanged at GOOGLE_TOKEN_URL for an access token with the Data
 * Manager API scope. Tokens are cached per key until a minute before they expire.
 */

export const DATAMANAGER_SCOPE = "https://www.googleapis.com/auth/datamanager";

type Key = { client_email: string; private_key: string; private_key_id?: string };
const cache = new Map<string, { token: string; until: number }>();

const cacheKey = (keyJson: string) => createHash("sha256").update(keyJson).update(config().forwarding.googleTokenUrl).digest("hex");

export function forgetGoogleToken(keyJson: string): void {
  cache.delete(cacheKey(keyJson));
}

export async function googleAccessToken(keyJson: string, timeoutMs: number, now = Date.now()): Promise<string> {
  const id = cacheKey(keyJson);
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.token;
  const key = JSON.parse(keyJson) as Key;
  const tokenUrl = config().forwarding.googleTokenUrl;
  let assertion: string;
  try {
    const pk = await importPKCS8(key.private_key, "RS256");
    assertion = await new SignJWT({ scope: DATAMANAGER_SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(key.private_key_id ? { kid: key.private_key_id } : {}) })
      .setIssuer(key.client_email)
      .setAudience(tokenUrl)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + 3600)
      .sign(pk);
  } catch {
    throw new PlatformError("permanent", null, "the service-account key's private_key cannot sign (not an RSA PKCS#8 key)");
  }
  let res: Response;
  try {
    res = await fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new PlatformError("transient", null, `Google token endpoint unreachable: ${(err as Error).name}`);
  }
  const text = await res.text().catch(() => "");
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: reported by status below
  }
  if (!res.ok || typeof body.access_token !== "string") {
    // A refused key stays refused until an admin fixes it, but the events keep waiting (transient,
    // up to 72 h), so fixing the key in time still delivers them.
    const why = typeof body.error === "string" ? `${body.error}${typeof body.error_description === "string" ? `: ${body.error_description}` : ""}` : `HTTP ${res.status}`;
    throw new PlatformError("transient", res.status, `Google token endpoint refused the service-account key (${why})`);
  }
  const ttl = typeof body.expires_in === "number" ? body.expires_in : 3600;
  cache.set(id, { token: body.access_token, until: now + Math.max(0, ttl - 60) * 1000 });
  return body.access_token;
}
