"use client";

import { signIn } from "next-auth/react";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import type { Dict } from "@/lib/i18n";
import { LANG_COOKIE, type Locale } from "@/lib/i18n/pick-locale";

/** The sign-in words of the one dictionary (lib/i18n), handed down by the server page. */
export type SignInStrings = Dict["signIn"] & Pick<Dict, "password" | "language">;

type Props = { locale: Locale; strings: SignInStrings; callbackUrl: string; initialError?: string };

function errorText(code: string | undefined, s: SignInStrings): string | undefined {
  if (!code) return undefined;
  if (code === "CredentialsSignin") return s.invalid;
  if (code === "RateLimited") return s.rateLimited;
  return s.failed;
}

const noSubscription = () => () => {};

export function SignInForm({ locale, strings: s, callbackUrl, initialError }: Props) {
  const [error, setError] = useState<string | undefined>(errorText(initialError, s));
  const [pending, setPending] = useState(false);
  // Until React has hydrated, a submit would be the browser's own (the password in a URL, or a
  // POST next-auth would refuse without its CSRF token): the button stays off until then.
  const ready = useSyncExternalStore(noSubscription, () => true, () => false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const res = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
        callbackUrl,
      });
      if (res?.ok && !res.error) {
        // A full navigation, so the server components see the new session cookie.
        window.location.assign(callbackUrl);
        return;
      }
      setError(res?.status === 429 ? s.rateLimited : errorText(res?.error ?? "failed", s));
    } catch {
      setError(s.failed);
    }
    setPending(false);
  }

  function switchLanguage(next: Locale) {
    document.cookie = `${LANG_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    window.location.reload();
  }

  return (
    <div className="w-full max-w-sm">
      <div className="mb-6 text-center">
        <div className="mx-auto mb-3 flex h-11 w-11 items-center justify-center rounded-xl bg-indigo-600 text-lg font-bold text-white">U</div>
        <h1 className="text-xl font-semibold text-slate-900">{s.title}</h1>
        <p className="mt-1 text-sm text-slate-500">{s.subtitle}</p>
      </div>
      <form method="post" onSubmit={onSubmit} data-ready={ready ? "1" : undefined} className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" noValidate={false}>
        <div>
          <label htmlFor="email" className="mb-1 block text-sm font-medium text-slate-700">
            {s.email}
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
          />
        </div>
        <div>
          <label htmlFor="password" className="mb-1 block text-sm font-medium text-slate-700">
            {s.password}
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
          />
        </div>
        {error && (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={pending || !ready}
          className="w-full rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-300 disabled:opacity-60"
        >
          {pending ? s.submitting : s.submit}
        </button>
      </form>
      <div className="mt-4 flex items-center justify-center gap-2 text-xs text-slate-500" aria-label={s.language}>
        <button type="button" onClick={() => switchLanguage("uk")} className={locale === "uk" ? "font-semibold text-slate-800" : "hover:underline"} aria-pressed={locale === "uk"}>
          Українська
        </button>
        <span aria-hidden>·</span>
        <button type="button" onClick={() => switchLanguage("en")} className={locale === "en" ? "font-semibold text-slate-800" : "hover:underline"} aria-pressed={locale === "en"}>
          English
        </button>
      </div>
    </div>
  );
}
