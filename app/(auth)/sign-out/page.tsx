import type { Metadata } from "next";
import { getI18n } from "@/lib/http/locale";
import { SignOutButton } from "./sign-out-button";

export const metadata: Metadata = { title: "Sign out · UTM Dispatcher", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** next-auth's `pages.signOut`: a confirmation in the UI language instead of next-auth's unstyled English page. */
export default async function SignOutPage() {
  const s = (await getI18n()).t.tools;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm text-center" data-testid="sign-out">
        <div className="mx-auto mb-3 flex h-11 w-11 items-center justify-center rounded-xl bg-indigo-600 text-lg font-bold text-white" aria-hidden="true">
          U
        </div>
        <h1 className="text-xl font-semibold text-slate-900">{s.signOutTitle}</h1>
        <p className="mt-1 text-sm text-slate-500">{s.signOutText}</p>
        <div className="mt-6 flex justify-center gap-3 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <a href="/dispatcher" className="rounded-lg px-4 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
            {s.signOutCancel}
          </a>
          <SignOutButton label={s.signOutButton} />
        </div>
      </div>
    </main>
  );
}
