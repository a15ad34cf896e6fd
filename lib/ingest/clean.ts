import { badRequest } from "@/lib/errors";

const MAX_DEPTH = 64;

/** What a field holding text PostgreSQL cannot store is told (SPEC 21). */
export const UNSTORABLE_TEXT_MESSAGE = "must not contain NUL characters or lone UTF-16 surrogates";
const MAX_TEXT_ISSUES = 20;

/**
 * JSON from a client whose strings PostgreSQL cannot store (NUL: text and jsonb refuse it; lone
 * UTF-16 surrogates: jsonb refuses their escapes) is refused with 400 naming each field
 * (`[3].order_id`, `properties.k`), never stripped or replaced (SPEC 21): a silently changed
 * `a\u0000b` became order `ab` and met another order of that id. Returns the value as it was
 * (no copy: a batch holds thousands of records). Nesting deeper than MAX_DEPTH is refused as a
 * client error instead of a stack overflow. Strings decoded from URLs are cleaned instead
 * (cleanString, SPEC 16): they are parts of a value the client sent as valid text.
 */
export function sanitizeJson(value: unknown): unknown {
  const issues: { path: string; message: string }[] = [];
  walk(value, "", 0, issues);
  if (issues.length) throw badRequest(`Invalid text: ${issues[0].path} ${UNSTORABLE_TEXT_MESSAGE}`, issues);
  return value;
}

function walk(value: unknown, path: string, depth: number, issues: { path: string; message: string }[]): void {
  if (issues.length >= MAX_TEXT_ISSUES) return;
  if (typeof value === "string") {
    if (NEEDS_CLEANING.test(value) && cleanString(value) !== value) issues.push({ path: path || "(root)", message: UNSTORABLE_TEXT_MESSAGE });
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (depth >= MAX_DEPTH) throw badRequest(`The JSON is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && (typeof v === "string" || typeof v === "object")) walk(v, `${path}[${i}]`, depth + 1, issues);
    }
    return;
  }
  for (const key of Object.keys(value)) {
    const at = (path ? `${path}.${key}` : key).slice(0, 200);
    if (NEEDS_CLEANING.test(key) && cleanString(key) !== key) {
      issues.push({ path: cleanString(at), message: `the key ${UNSTORABLE_TEXT_MESSAGE}` });
      continue;
    }
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && (typeof v === "string" || typeof v === "object")) walk(v, at, depth + 1, issues);
  }
}

const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanString(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  const noNul = s.includes("\u0000") ? s.replace(NUL, "") : s;
  return noNul.replace(LONE_SURROGATE, "\ufffd");
}
