import { isLocale, type Locale } from "./pick-locale";

/**
 * What a form shows when the server refused a request (issue 22): the server's `error` and
 * `issues[].message` are English (one wording for the API, logs and tests), so a Ukrainian user
 * got English sentences. The form now says what happened in the page's language from the status,
 * names the fields by the labels the form shows, and keeps the server's own words only in English
 * (in Ukrainian they stay available as the element's title, for a support request).
 */

type ApiAnswer = { error?: unknown; issues?: { path?: unknown; message?: unknown }[] };

const BY_STATUS: Record<Locale, Record<number, string>> = {
  uk: {
    400: "Перевірте введені дані",
    401: "Увійдіть знову: сеанс закінчився",
    403: "Недостатньо прав для цієї дії",
    404: "Не знайдено: можливо, запис уже видалено",
    409: "Конфлікт: запис уже існує",
    413: "Завеликий запит",
    415: "Непідтримуваний формат запиту",
    429: "Забагато спроб: зачекайте і спробуйте ще раз",
    503: "Сервіс тимчасово недоступний: спробуйте за хвилину",
  },
  en: {
    400: "Please check the values entered",
    401: "Please sign in again: the session has ended",
    403: "You are not allowed to do this",
    404: "Not found: it may have been deleted already",
    409: "Conflict: it exists already",
    413: "The request is too large",
    415: "Unsupported request format",
    429: "Too many attempts: wait and try again",
    503: "The service is unavailable for a moment: try again in a minute",
  },
};
const FALLBACK: Record<Locale, string> = { uk: "Не вдалося виконати дію", en: "The action failed" };
const FIELDS: Record<Locale, string> = { uk: "поля", en: "fields" };

/** The page's language in the browser (`<html lang>`, set by the layout), Ukrainian by default. */
export function pageLocale(): Locale {
  const lang = typeof document === "undefined" ? undefined : document.documentElement.lang;
  return isLocale(lang) ? lang : "uk";
}

/**
 * The line a form shows for a refused request, and the server's own words (for a title). `labels`
 * maps a field name (an issue's path) to the label the form shows.
 */
export function apiErrorText(locale: Locale, status: number, answer: ApiAnswer, labels: Record<string, string> = {}): { text: string; detail: string } {
  const headline = BY_STATUS[locale][status] ?? FALLBACK[locale];
  const issues = (answer.issues ?? []).filter((i) => typeof i.path === "string");
  const named = [...new Set(issues.map((i) => labels[String(i.path).split(/[.[]/)[0]] ?? String(i.path)))];
  const detail = [typeof answer.error === "string" ? answer.error : "", ...issues.map((i) => `${String(i.path)}: ${String(i.message ?? "")}`)].filter(Boolean).join("; ");
  const fields = named.length ? ` (${FIELDS[locale]}: ${named.join(", ")})` : "";
  // English users read the server's own explanation; Ukrainian ones the headline and the fields.
  const text = locale === "en" && detail ? `${headline}${fields} — ${detail}` : `${headline}${fields}`;
  return { text, detail };
}
