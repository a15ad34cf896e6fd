import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";
import { LOCALE_COOKIE, pickLocale, safeCallbackUrl, SIGN_IN_STRINGS } from "./strings";

export const metadata: Metadata = { title: "Sign in · UTM Dispatcher" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const locale = pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <SignInForm locale={locale} strings={SIGN_IN_STRINGS[locale]} callbackUrl={callbackUrl} initialError={error} />
    </main>
  );
}
