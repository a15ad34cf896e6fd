import { createHmac, timingSafeEqual } from "node:crypto";
import { postJson } from "./post";

/**
 * The generic webhook (SPEC 20, docs/alerts.md): the JSON body is POSTed as is, with
 * `X-Utmd-Signature: sha256=<hex HMAC-SHA256 of the raw body bytes, keyed with the channel's secret>`
 * and `X-Utmd-Event` naming the event. The body carries its own `sent_at`, so a receiver can refuse
 * replays older than it tolerates.
 */

export const SIGNATURE_HEADER = "X-Utmd-Signature";

export function signBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

/** What a receiver does (and the tests): recompute and compare in constant time. */
export function verifySignature(secret: string, rawBody: string, header: string | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function sendWebhook(url: string, secret: string, event: string, rawBody: string, signal: AbortSignal): Promise<string> {
  await postJson(url, rawBody, signal, { [SIGNATURE_HEADER]: signBody(secret, rawBody), "X-Utmd-Event": event, "user-agent": "utm-dispatcher" });
  return "webhook";
}
