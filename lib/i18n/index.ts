import { en } from "./en";
import { makeFormatters, type Formatters } from "./format";
import type { Locale } from "./pick-locale";
import { uk, type Dict } from "./uk";

/**
 * The one i18n of the dashboard and the e-mail report: one typed dictionary per language
 * (uk.ts, en.ts; the areas dash, tools, costs and report in dashboard.ts, tools.ts, costs.ts, email.ts), one lookup
 * (`dictionary`) and one set of formatters (format.ts). Pure data and functions, no server code:
 * client components may import it. The request's language is in server.ts.
 */

export type { Dict } from "./uk";
export type { DashStrings } from "./dashboard";
export type { ToolStrings } from "./tools";
export type { CostStrings } from "./costs";
export type { EmailStrings } from "./email";
export { type Locale, LOCALES, LANG_COOKIE, pickLocale, isLocale } from "./pick-locale";
export { makeFormatters, type Formatters, fill, capitalize } from "./format";

const DICTS: Record<Locale, Dict> = { uk, en };
export const dictionary = (locale: Locale): Dict => DICTS[locale];

/** A language's words and formatters: the dashboard's request (server.ts) and each e-mail language. */
export type I18n = { locale: Locale; t: Dict; fmt: Formatters };
export function i18nFor(locale: Locale, currency: string, timeZone: string): I18n {
  return { locale, t: dictionary(locale), fmt: makeFormatters(locale, currency, timeZone) };
}

/** Labels of the filter chips and picker: every filter dimension's name and the tool words. */
export function filterLabels(t: Dict) {
  return { dims: t.dims, s: t.tools, removeFilter: t.removeFilter, clearFilters: t.clearFilters, addFilterHint: t.addFilterHint, filters: t.filters };
}
