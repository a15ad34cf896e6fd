/**
 * The UTM link builder (issue 12): a landing URL tagged with the five UTM parameters. Pure, so the
 * builder page, the API and the tests share one definition.
 */

export const UTM_FIELDS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"] as const;
export type UtmField = (typeof UTM_FIELDS)[number];
export type UtmValues = Record<UtmField, string>;

/** The stored form of an unset content/term (sessions store the same literal, SPEC 3.1). */
export const NONE = "(none)";

/** `true` when `value` parses as an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * `base` with `utm_*` set to the given values: an existing `utm_*` of the same name is replaced,
 * an unset content/term (empty or `(none)`) is left out (and removed from `base`), other query
 * parameters and the fragment are kept. Throws on a base that is not an http(s) URL.
 */
export function buildTaggedUrl(base: string, utm: Partial<UtmValues>): string {
  const url = new URL(base.trim());
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not an http(s) URL");
  for (const f of UTM_FIELDS) {
    const v = (utm[f] ?? "").trim();
    if (v === "" || v === NONE) url.searchParams.delete(f);
    else url.searchParams.set(f, v);
  }
  return url.toString();
}
