import "server-only";
import { cookies, headers } from "next/headers";
import { config } from "@/lib/config";
import { dictionary, type Dict } from "./index";
import { makeFormatters, type Formatters } from "./format";
import { LANG_COOKIE, pickLocale, type Locale } from "./pick-locale";

/** The request's language: `lang` cookie, then Accept-Language, then Ukrainian. */
export async function getLocale(): Promise<Locale> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  return pickLocale(c.get(LANG_COOKIE)?.value, h.get("accept-language"));
}

export type I18n = { locale: Locale; t: Dict; fmt: Formatters };

export async function getI18n(): Promise<I18n> {
  const locale = await getLocale();
  const cfg = config();
  return { locale, t: dictionary(locale), fmt: makeFormatters(locale, cfg.currency, cfg.timezone) };
}
