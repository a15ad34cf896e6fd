import { isCurrencyCode } from "@/lib/currency";

/**
 * Currencies as cost exports write them (SPEC 17.5): symbols and words beside an amount
 * ("US$12.50", "1 234,56 грн", "€80"), in a column title ("Cost (USD)", "Amount spent (€)") or in
 * a Currency column ("USD", "usd"). A lone "$" reads USD (the platforms write other dollars with
 * their prefix: CA$, A$, NZ$, HK$, MX$) — a decision written down in docs/costs.md.
 */
const MARKS: Record<string, string> = {
  "us$": "USD",
  usd$: "USD",
  $: "USD",
  "ca$": "CAD",
  c$: "CAD",
  "a$": "AUD",
  "au$": "AUD",
  "nz$": "NZD",
  "hk$": "HKD",
  "mx$": "MXN",
  "r$": "BRL",
  "€": "EUR",
  "£": "GBP",
  "₴": "UAH",
  грн: "UAH",
  "грн.": "UAH",
  "zł": "PLN",
  "₹": "INR",
  "¥": "JPY",
  "₩": "KRW",
  "₺": "TRY",
  "kč": "CZK",
  "₸": "KZT",
};

/** The ISO code a mark names ("US$", "€", "usd", " UAH "), or null when it names none. */
export function currencyOfMark(mark: string): string | null {
  const m = mark.trim().replace(/\s+/g, "");
  if (m === "") return null;
  const known = MARKS[m.toLowerCase()];
  if (known) return known;
  const code = m.toUpperCase();
  return isCurrencyCode(code) ? code : null;
}

/**
 * The marks around an amount's digits ("US$1,234.56" → "US$", "1 234,56 грн" → "грн", "(€5.00)"
 * → "€"), as one string; "" when the cell is a bare number.
 */
export function amountMarks(cell: string): string {
  return cell
    .replace(/^\((.*)\)$/, "$1")
    .replace(/[\d.,\s\u00a0\u202f'’()\-−]+/g, " ")
    .trim();
}

/** The currency an amount cell names by its marks; null for a bare number or an unknown mark. */
export function currencyOfAmount(cell: string): string | null {
  const marks = amountMarks(cell);
  return marks === "" ? null : currencyOfMark(marks);
}
