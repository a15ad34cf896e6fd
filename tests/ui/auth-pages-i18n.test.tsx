import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The sign-in and sign-out pages take their words from the one dictionary (lib/i18n) and the
 * language from the dashboard's rule (the `lang` cookie, then Accept-Language, then Ukrainian):
 * both languages render the texts they had, written out here by hand.
 */

const req = { cookies: {} as Record<string, string>, acceptLanguage: "" };
vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (name in req.cookies ? { name, value: req.cookies[name] } : undefined) }),
  headers: async () => new Headers(req.acceptLanguage ? { "accept-language": req.acceptLanguage } : {}),
}));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => null }));
const { default: SignInPage } = await import("@/app/(auth)/sign-in/page");
const { default: SignOutPage } = await import("@/app/(auth)/sign-out/page");

const signIn = async (params: Record<string, string> = {}) => renderToStaticMarkup(await SignInPage({ searchParams: Promise.resolve(params) }));
const signOut = async () => renderToStaticMarkup(await SignOutPage());
/** Visible text and the labels read aloud, in document order. */
const words = (html: string) => [...html.matchAll(/>([^<>]+)<|aria-label="([^"]+)"/g)].map((m) => (m[1] ?? m[2]).trim()).filter(Boolean);

beforeEach(() => {
  req.cookies = {};
  req.acceptLanguage = "";
});

describe("sign-in and sign-out pages in both languages", () => {
  it("Ukrainian (no cookie, no Accept-Language: the fallback)", async () => {
    expect(words(await signIn())).toEqual([
      "U",
      "Вхід до UTM Dispatcher",
      "Аналітика джерел трафіку та замовлень",
      "Електронна пошта",
      "Пароль",
      "Увійти",
      "Мова",
      "Українська",
      "·",
      "English",
    ]);
    expect(words(await signOut())).toEqual(["U", "Вийти з UTM Dispatcher?", "Ви вийдете з облікового запису на цьому пристрої.", "Залишитися", "Вийти"]);
  });

  it("English from the `lang` cookie (the dashboard's language switch), over Accept-Language", async () => {
    req.cookies = { lang: "en" };
    req.acceptLanguage = "uk-UA,uk;q=0.9";
    expect(words(await signIn())).toEqual([
      "U",
      "Sign in to UTM Dispatcher",
      "Traffic source and order analytics",
      "E-mail",
      "Password",
      "Sign in",
      "Language",
      "Українська",
      "·",
      "English",
    ]);
    expect(words(await signOut())).toEqual(["U", "Sign out of UTM Dispatcher?", "You will be signed out on this device.", "Stay signed in", "Sign out"]);
  });

  it("English from Accept-Language; the sign-in error in the page's language", async () => {
    req.acceptLanguage = "de-DE,en-US;q=0.8,uk;q=0.5";
    expect(words(await signIn({ error: "CredentialsSignin" }))).toContain("Wrong e-mail or password.");
    req.acceptLanguage = "";
    expect(words(await signIn({ error: "RateLimited" }))).toContain("Забагато спроб входу. Спробуйте за хвилину.");
    expect(words(await signIn({ error: "Other" }))).toContain("Не вдалося увійти. Спробуйте ще раз.");
  });

  it("one cookie for every page: the sign-in page's own `utmd_lang` is gone", async () => {
    // Before, the sign-in page read utmd_lang and the dashboard `lang`, so a choice made on one
    // page did not reach the other (and <html lang> followed only `lang`).
    req.cookies = { utmd_lang: "en" };
    expect(words(await signIn())).toContain("Вхід до UTM Dispatcher");
  });
  it("the sign-in form posts, and its button is off until React has hydrated: never a GET with the password in the URL (SPEC 21)", async () => {
    const html = await signIn();
    expect(html).toMatch(/<form [^>]*method="post"/);
    expect(html).not.toMatch(/data-ready/);
    expect(html).toMatch(/<button type="submit" [^>]*disabled=""/);
  });
});
