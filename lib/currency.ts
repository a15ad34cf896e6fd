import { z } from "zod";

/**
 * ISO 4217 currency codes (SPEC 1, 17.5): the codes the runtime's Intl knows
 * (Intl.supportedValuesOf("currency"), the current codes of ICU), so APP_CURRENCY, an order's
 * `currency` and a rate's currency are checked against one list.
 */
let known: ReadonlySet<string> | undefined;

function list(): ReadonlySet<string> {
  if (!known) {
    try {
      known = new Set(Intl.supportedValuesOf("currency"));
    } catch {
      known = new Set();
    }
  }
  return known;
}

/** True for a 3-letter upper-case ISO 4217 code (any code of that form when the runtime lists none). */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const l = list();
  return l.size === 0 || l.has(code);
}

export const CURRENCY_MESSAGE = "must be an ISO 4217 currency code such as USD";

/** A currency code as sent: trimmed, upper-cased, then checked against the list (NUL, "usd " → USD, "ZZZ" → refused). */
export const currencyCodeSchema = z
  .string({ error: "must be a string" })
  .max(8, CURRENCY_MESSAGE)
  .transform((s) => s.trim().toUpperCase())
  .refine(isCurrencyCode, CURRENCY_MESSAGE);
