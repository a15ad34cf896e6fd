/**
 * The UI language (SPEC 6): the `lang` cookie wins, then the browser's Accept-Language (by
 * q-value, first supported primary tag), else Ukrainian. Pure so it is unit-tested; the request
 * glue is in server.ts.
 */
export const LOCALES = ["uk", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "uk";
export const LANG_COOKIE = "lang";

export const isLocale = (v: unknown): v is Locale => typeof v === "string" && (LOCALES as readonly string[]).includes(v);

export function pickLocale(cookieValue: string | undefined | null, acceptLanguage: string | undefined | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(",")
      .map((part, i) => {
        const [tag, ...params] = part.trim().split(";");
        const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
        const weight = q ? Number(q[1]) : 1;
        return { primary: tag.trim().toLowerCase().split("-")[0], weight: Number.isFinite(weight) ? weight : 0, i };
      })
      .filter((x) => x.primary && x.weight > 0)
      // Stable: equal weights keep the header's order.
      .sort((a, b) => b.weight - a.weight || a.i - b.i);
    for (const r of ranked) if (isLocale(r.primary)) return r.primary;
  }
  return DEFAULT_LOCALE;
}
