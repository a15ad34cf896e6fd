import { en } from "./en";
import type { Locale } from "./pick-locale";
import { uk, type Dict } from "./uk";

export type { Dict } from "./uk";
export { type Locale, LOCALES, LANG_COOKIE, pickLocale, isLocale } from "./pick-locale";

const DICTS: Record<Locale, Dict> = { uk, en };
export const dictionary = (locale: Locale): Dict => DICTS[locale];
