import Link from "next/link";
import { getI18n } from "@/lib/http/locale";

/** 403 page (forbidden()): a shared view asked for more than its link allows. */
export default async function Forbidden() {
  const { t } = await getI18n();
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center" data-testid="forbidden">
      <p className="text-5xl font-bold text-slate-300">403</p>
      <h1 className="mt-2 text-xl font-semibold">{t.forbiddenTitle}</h1>
      <p className="mt-2 text-sm text-slate-600">{t.forbiddenText}</p>
      <Link href="/" className="mt-6 inline-block text-sm text-indigo-700 underline">
        {t.appName}
      </Link>
    </main>
  );
}
