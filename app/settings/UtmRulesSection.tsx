import { getUtmRules } from "@/lib/analytics/utm-links";
import { getDb } from "@/lib/db/client";
import { dictionary, type Locale } from "@/lib/i18n";
import { UtmRulesForm } from "./UtmRulesForm";

/** Settings: the team's UTM naming rules used by the link builder (admins edit, everyone reads). */
export async function UtmRulesSection({ admin, locale }: { admin: boolean; locale: Locale }) {
  const rules = await getUtmRules(await getDb());
  const s = dictionary(locale).tools;
  return (
    <section id="utm-rules" aria-labelledby="utm-rules-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="utm-rules">
      <h2 id="utm-rules-title" className="mb-4 text-base font-semibold text-slate-800">
        {s.rulesTitle}
      </h2>
      <UtmRulesForm rules={rules} s={s} admin={admin} />
    </section>
  );
}
