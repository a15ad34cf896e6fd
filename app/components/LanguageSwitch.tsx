"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { LANG_COOKIE, type Locale } from "@/lib/i18n/pick-locale";

/** Sets the `lang` cookie (a year) and re-renders the server components in that language. */
export function LanguageSwitch({ locale, label }: { locale: Locale; label: string }) {
  const router = useRouter();
  const id = useId();
  return (
    <div className="flex items-center gap-1.5 text-sm">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        data-testid="lang-switch"
        value={locale}
        onChange={(e) => {
          document.cookie = `${LANG_COOKIE}=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
          document.documentElement.lang = e.target.value;
          router.refresh();
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
      >
        <option value="uk">Українська</option>
        <option value="en">English</option>
      </select>
    </div>
  );
}
