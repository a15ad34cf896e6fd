import { badRequest } from "@/lib/errors";

const MAX_DEPTH = 64;

/**
 * Strings PostgreSQL cannot store are made storable before validation: NUL characters are
 * removed (text and jsonb refuse them) and lone UTF-16 surrogates replaced (jsonb refuses their
 * escapes). Works in place (a batch holds thousands of records; copying them all would cost more
 * than the check). Nesting deeper than MAX_DEPTH is refused as a client error instead of a stack
 * overflow.
 */
export function sanitizeJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cleanString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) throw badRequest(`The JSON is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && (typeof v === "string" || typeof v === "object")) value[i] = sanitizeJson(v, depth + 1);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  let dirtyKey = false;
  for (const key of Object.keys(obj)) {
    if (NEEDS_CLEANING.test(key)) dirtyKey = true;
    const v = obj[key];
    if (v === null || (typeof v !== "string" && typeof v !== "object")) continue;
    const c = sanitizeJson(v, depth + 1);
    // An own "__proto__" key from JSON.parse is a data property; assigning to it stays data.
    if (c !== v) obj[key] = c;
  }
  if (!dirtyKey) return obj;
  // fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [cleanString(k), v] as const));
}

const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanString(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  const noNul = s.includes("\u0000") ? s.replace(NUL, "") : s;
  return noNul.replace(LONE_SURROGATE, "\ufffd");
}
