import { getDb } from "@/lib/db/client";
import { forwardingStatus } from "@/lib/forwarding/status";
import { FORWARDING_STRINGS } from "@/lib/i18n/forwarding";
import { getI18n } from "@/lib/http/locale";
import { ForwardingForm } from "./ForwardingForm";

/**
 * Settings › Conversions to ad platforms (SPEC 19): per destination queued / sent / failed /
 * skipped, the last error and the last send; for admins the settings form with "send a test
 * event". The secret is never on the page: only "set, ends …1234" (lib/forwarding/status.ts).
 */
export async function Forwarding({ admin }: { admin: boolean }) {
  const { locale, fmt } = await getI18n();
  const s = FORWARDING_STRINGS[locale];
  const status = await forwardingStatus(await getDb());
  const when = (v: string | null) => (v ? fmt.dateTime(v) : s.never);
  return (
    <section id="forwarding" aria-labelledby="forwarding-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="forwarding">
      <h2 id="forwarding-title" className="mb-2 text-base font-semibold text-slate-800">
        {s.title}
      </h2>
      <p className="mb-1 text-sm text-slate-600">{s.intro}</p>
      <p className="mb-4 text-xs text-slate-500">{status.require_consent ? s.consentOn : s.consentOff}</p>
      <div className="-mx-4 overflow-x-auto sm:mx-0">
        <table className="w-full min-w-[40rem] text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              {[s.destination, s.state, s.queued, s.sent, s.failed, s.skipped, s.lastError, s.lastSent].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {status.destinations.map((d) => (
              <tr key={d.destination} className="border-b border-slate-100 last:border-0 align-top" data-destination={d.destination}>
                <td className="px-3 py-2 font-medium">{s.destinations[d.destination]}</td>
                <td className="px-3 py-2">
                  {!d.configured ? <span className="text-slate-400">{s.notConfigured}</span> : d.enabled ? <span className="text-emerald-700">{s.enabled}</span> : <span className="text-amber-700">{s.paused}</span>}
                  {d.secret_unreadable ? <div className="text-xs text-rose-700">{s.secretUnreadable}</div> : null}
                </td>
                <td className="px-3 py-2 tabular-nums">{fmt.int(d.queued + d.sending)}</td>
                <td className="px-3 py-2 tabular-nums">{fmt.int(d.sent)}</td>
                <td className={`px-3 py-2 tabular-nums ${d.failed ? "text-rose-700" : ""}`}>{fmt.int(d.failed)}</td>
                <td className="px-3 py-2 tabular-nums">{fmt.int(d.skipped)}</td>
                <td className="max-w-xs break-words px-3 py-2 text-xs text-slate-600">{d.last_error ? `${d.last_error} (${when(d.last_error_at)})` : s.none}</td>
                <td className="px-3 py-2 text-xs">{when(d.last_sent_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin ? (
        <div className="mt-4 grid gap-4 md:grid-cols-3">
          {status.destinations.map((d) => (
            <ForwardingForm key={d.destination} destination={d.destination} configured={d.configured} enabled={d.enabled} settings={d.settings} secretHint={d.secret_hint} locale={locale} />
          ))}
        </div>
      ) : (
        <p className="mt-3 text-xs text-slate-500">{s.adminOnly}</p>
      )}
    </section>
  );
}
