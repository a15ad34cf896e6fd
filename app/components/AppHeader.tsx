import Link from "next/link";
import type { Dict } from "@/lib/i18n";
import { LanguageSwitch } from "./LanguageSwitch";

/** The top bar: product name, navigation, language, the user and sign-out. */
export function AppHeader({
  t,
  locale,
  user,
  active,
}: {
  t: Dict;
  locale: "uk" | "en";
  user?: { email: string; role: string };
  active?: "dashboard" | "settings" | "links";
}) {
  const nav = (href: string, label: string, on: boolean) => (
    <Link
      href={href}
      aria-current={on ? "page" : undefined}
      className={`rounded-md px-2.5 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${on ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:text-slate-900"}`}
    >
      {label}
    </Link>
  );
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5">
        <Link href={user ? "/dispatcher" : "#"} className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
          <span className="grid h-7 w-7 place-items-center rounded-lg bg-gradient-to-br from-indigo-500 to-violet-600 text-xs font-bold text-white" aria-hidden="true">
            U
          </span>
          {t.appName}
        </Link>
        {user ? (
          <nav aria-label="Main" className="flex items-center gap-1">
            {nav("/dispatcher", t.dashboard, active === "dashboard")}
            {nav("/dispatcher/links", t.tools.links, active === "links")}
            {nav("/settings", t.settings, active === "settings")}
          </nav>
        ) : null}
        <div className="ml-auto flex items-center gap-3">
          <LanguageSwitch locale={locale} label={t.language} />
          {user ? (
            <>
              <span className="hidden text-xs text-slate-500 sm:inline" data-user-role={user.role}>
                {user.email} · {t.roles[user.role as "admin" | "viewer"] ?? user.role}
              </span>
              {/* The styled sign-out confirmation (next-auth pages.signOut). */}
              <a href="/sign-out" className="text-sm font-medium text-slate-600 hover:text-slate-900" data-testid="sign-out-link">
                {t.signOut}
              </a>
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}
