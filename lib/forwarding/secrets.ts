import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

/**
 * A destination's access token or service-account key is kept sealed in the database
 * (AES-256-GCM, key derived from AUTH_SECRET with HKDF), so a database dump alone does not hand
 * out the shop's ad accounts. It leaves this module only towards the platform: never into a log
 * line, an error answer or the settings page, which show `secretHint` (its last four characters).
 */

const INFO = "utmd forwarding secrets v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", config().authSecret, "", INFO, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plain secret; undefined when it cannot be opened (AUTH_SECRET changed since it was saved). */
export function openSecret(sealed: string): string | undefined {
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || body === undefined) return undefined;
  try {
    const d = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    d.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([d.update(Buffer.from(body, "base64url")), d.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** What may be shown of a secret: its last four characters. */
export function secretHint(plain: string): string {
  return plain.length <= 8 ? "…" : `…${plain.slice(-4)}`;
}

/**
 * Text that leaves the sender (a stored last error, a log line, an answer) with every secret in
 * it blanked, also the parts of a key (a service-account private key's lines) and URL-encoded forms.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const pieces = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    pieces.add(s);
    pieces.add(encodeURIComponent(s));
    for (const line of s.split(/\\n|\n/)) if (line.length >= 16) pieces.add(line);
  }
  for (const p of [...pieces].sort((a, b) => b.length - a.length)) if (p.length >= 6) out = out.split(p).join("[redacted]");
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}
