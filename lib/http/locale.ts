import "server-only";
import { cookies, headers } from "next/headers";
import { config } from "@/lib/config";
import { i18nFor, type I18n } from "@/lib/i18n/index";
import { LANG_COOKIE, pickLocale, type Locale } from "@/lib/i18n/pick-locale";

export type { I18n } from "@/lib/i18n/index";

/** The request's language: `lang` cookie, then Accept-Language, then Ukrainian. */
export async function getLocale(): Promise<Locale> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  return pickLocale(c.get(LANG_COOKIE)?.value, h.get("accept-language"));
}

/** The request's words and formatters (the app's currency and time zone). */
export async function getI18n(): Promise<I18n> {
  const cfg = config();
  return i18nFor(await getLocale(), cfg.currency, cfg.timezone);
}
