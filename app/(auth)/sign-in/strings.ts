/**
 * The sign-in page's words in both UI languages (SPEC 6: Ukrainian and English, cookie first,
 * then Accept-Language, Ukrainian the fallback). Kept as plain data so the dashboard's i18n
 * dictionaries can absorb them.
 */
export const SIGN_IN_STRINGS = {
  uk: {
    title: "Вхід до UTM Dispatcher",
    subtitle: "Аналітика джерел трафіку та замовлень",
    email: "Електронна пошта",
    password: "Пароль",
    submit: "Увійти",
    submitting: "Вхід...",
    invalid: "Невірна електронна пошта або пароль.",
    rateLimited: "Забагато спроб входу. Спробуйте за хвилину.",
    failed: "Не вдалося увійти. Спробуйте ще раз.",
    language: "Мова",
  },
  en: {
    title: "Sign in to UTM Dispatcher",
    subtitle: "Traffic source and order analytics",
    email: "E-mail",
    password: "Password",
    submit: "Sign in",
    submitting: "Signing in...",
    invalid: "Wrong e-mail or password.",
    rateLimited: "Too many sign-in attempts. Try again in a minute.",
    failed: "Sign-in failed. Please try again.",
    language: "Language",
  },
} as const;

export type Locale = keyof typeof SIGN_IN_STRINGS;
export type SignInStrings = { [K in keyof (typeof SIGN_IN_STRINGS)["uk"]]: string };

/** Cookie holding the chosen UI language (shared with the dashboard). */
export const LOCALE_COOKIE = "utmd_lang";

export function pickLocale(cookieValue: string | undefined, acceptLanguage: string | null): Locale {
  if (cookieValue === "uk" || cookieValue === "en") return cookieValue;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0].trim().toLowerCase();
    if (tag.startsWith("uk")) return "uk";
    if (tag.startsWith("en")) return "en";
  }
  return "uk";
}

/**
 * Only same-site paths: a crafted callbackUrl must not send the user elsewhere after sign-in.
 * An absolute URL (next-auth adds them) keeps just its path and query, on this site.
 */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return "/dispatcher";
  try {
    const u = new URL(v, "http://local.invalid");
    const pathAndQuery = u.pathname + u.search;
    return pathAndQuery.startsWith("/") && !pathAndQuery.startsWith("//") ? pathAndQuery : "/dispatcher";
  } catch {
    return "/dispatcher";
  }
}
