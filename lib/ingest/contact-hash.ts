import { createHash } from "node:crypto";

/**
 * E-mail and phone of an order are kept only as SHA-256 hex of their normalised form (SPEC 17.5):
 * the plain value never reaches the database. The normal forms are the ones Meta's Conversions
 * API and TikTok's Events API document (e-mail trimmed and lower-cased; phone as digits only with
 * the country code), so a stored hash can be forwarded as it is (SPEC 19) and serves as a guest
 * customer's id (SPEC 17.1, 17.2).
 */

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** Trimmed, lower-case e-mail, or undefined when it is no e-mail address. */
export function normaliseEmail(value: string | null | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(v) ? v : undefined;
}

/**
 * Digits only, international form: `+38 (050) 123-45-67` → `380501234567`, `00380…` → `380…`.
 * Fewer than 7 digits is not a phone number.
 */
export function normalisePhone(value: string | null | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  let digits = value.replace(/\D+/g, "");
  if (digits.startsWith("00")) digits = digits.slice(2);
  return digits.length >= 7 && digits.length <= 15 ? digits : undefined;
}

export function hashEmail(value: string | null | undefined): string | undefined {
  const v = normaliseEmail(value);
  return v === undefined ? undefined : sha256(v);
}

export function hashPhone(value: string | null | undefined): string | undefined {
  const v = normalisePhone(value);
  return v === undefined ? undefined : sha256(v);
}

/** The customer id of a guest known only by e-mail (Shopify without `customer`, Woo `customer_id` 0). */
export function emailCustomerId(value: string | null | undefined): string | undefined {
  const h = hashEmail(value);
  return h === undefined ? undefined : `email:${h}`;
}
