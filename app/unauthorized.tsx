import { getI18n } from "@/lib/http/locale";

/** 401 page (unauthorized()): an invalid, expired or revoked share link. */
export default async function Unauthorized() {
  const { t } = await getI18n();
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center" data-testid="unauthorized">
      <p className="text-5xl font-bold text-slate-300">401</p>
      <h1 className="mt-2 text-xl font-semibold">{t.unauthorizedTitle}</h1>
      <p className="mt-2 text-sm text-slate-600">{t.unauthorizedText}</p>
    </main>
  );
}
