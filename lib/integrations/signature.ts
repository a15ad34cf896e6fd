import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures of Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce
 * (`X-WC-Webhook-Signature`): both are the base64 HMAC-SHA256 of the raw body bytes, keyed with the
 * shared secret. Compared as bytes with timingSafeEqual, after decoding the header; a header that
 * is no base64 of 32 bytes never matches (and is not compared at all, so its length leaks nothing
 * about the secret).
 */

export function hmacBase64(body: Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export function signatureMatches(body: Uint8Array, header: string | null, secret: string): boolean {
  const given = (header ?? "").trim();
  if (!BASE64.test(given)) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(Buffer.from(given, "base64"), expected);
}
