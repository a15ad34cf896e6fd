import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/http/session";
import { getI18n } from "@/lib/http/locale";
import { safeCallbackUrl } from "./callback-url";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · UTM Dispatcher" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The sign-in page in the UI language (the dashboard's `lang` cookie, then Accept-Language, then Ukrainian). */
export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const { locale, t } = await getI18n();
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <SignInForm locale={locale} strings={{ ...t.signIn, password: t.password, language: t.language }} callbackUrl={callbackUrl} initialError={error} />
    </main>
  );
}
