import { ApiButton } from "@/app/components/ApiForm";
import { listIncidents } from "@/lib/alerts/incidents";
import { listRules } from "@/lib/alerts/rules";
import { appendFilters } from "@/lib/analytics/params";
import { getDb } from "@/lib/db/client";
import { ALERTS_STRINGS } from "@/lib/i18n/alerts";
import { getI18n } from "@/lib/http/locale";
import { listChannels } from "@/lib/notify/channels";
import { listChannelSubscriptions } from "@/lib/notify/report-channels";
import { AlertsForms } from "./AlertsForm";
import { SettingsTable } from "./SettingsTable";

/**
 * Settings › Alerts (SPEC 20): rules, channels, report subscriptions to Slack/Telegram and the
 * recent incidents. Admins only: channel addresses are credentials, and /api/utm/alerts refuses
 * anyone else with 403 anyway.
 */
export async function Alerts({ admin }: { admin: boolean }) {
  const { locale, fmt, t } = await getI18n();
  const s = ALERTS_STRINGS[locale];
  const section = (body: React.ReactNode) => (
    <section id="alerts" aria-labelledby="alerts-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="alerts">
      <h2 id="alerts-title" className="mb-2 text-base font-semibold text-slate-800">
        {s.title}
      </h2>
      <p className="mb-4 text-sm text-slate-600">{s.intro}</p>
      {body}
    </section>
  );
  if (!admin) return section(<p className="text-xs text-slate-500">{s.adminOnly}</p>);

  const db = await getDb();
  const [rules, channels, reports, incidents] = await Promise.all([listRules(db), listChannels(db), listChannelSubscriptions(db), listIncidents(db, 20)]);
  const channelName = (id: number) => channels.find((c) => c.id === id)?.name ?? `#${id}`;
  const del = (type: string, id: number, what: string) => <ApiButton endpoint={`/api/utm/alerts?type=${type}&id=${id}`} method="DELETE" label={s.delete} confirmText={`${s.delete} ${what}?`} />;
  const table = (cols: string[], body: React.ReactNode[][]) => <SettingsTable head={cols} rows={body} empty={s.none} width="min-w-[36rem]" className="mb-4" />;

  return section(
    <>
      <h3 className="mb-1 text-sm font-semibold text-slate-700">{s.rules}</h3>
      {table(
        [s.name, s.metric, s.condition, s.filters, s.sendTo, ""],
        rules.map((r) => [
          <span key="n" className="font-medium">{r.name}</span>,
          s.metrics[r.metric],
          `${s.conditions[r.condition]} ${r.threshold} · ${r.window_hours} h`,
          <code key="f" className="text-xs">{appendFilters(new URLSearchParams(), r.filters).toString() || "—"}</code>,
          r.channel_ids.map(channelName).join(", ") || "—",
          del("rule", r.id, r.name),
        ]),
      )}
      <h3 className="mb-1 text-sm font-semibold text-slate-700">{s.channels}</h3>
      {table(
        [s.name, s.kind, s.target, s.secret, ""],
        channels.map((c) => [<span key="n" className="font-medium">{c.name}</span>, s.kinds[c.kind], <code key="t" className="text-xs">{c.target}</code>, c.has_secret ? s.secretSet : "—", del("channel", c.id, c.name)]),
      )}
      <h3 className="mb-1 text-sm font-semibold text-slate-700">{s.reports}</h3>
      {table(
        [s.channels, s.period, s.language, ""],
        reports.map((r) => [channelName(r.channel_id), t.reportPeriods[r.period], r.language, del("report", r.id, channelName(r.channel_id))]),
      )}
      <h3 className="mb-1 text-sm font-semibold text-slate-700">{s.incidents}</h3>
      {table(
        [s.opened, s.resolved, s.metric, ""],
        incidents.map((i) => [fmt.dateTime(i.opened_at), i.resolved_at ? fmt.dateTime(i.resolved_at) : <span key="o" className="text-rose-700">{s.open}</span>, s.metrics[i.metric as keyof typeof s.metrics] ?? i.metric, <span key="s" className="text-xs text-slate-600">{i.summary}</span>]),
      )}
      <AlertsForms locale={locale} channels={channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind }))} periods={t.reportPeriods} />
    </>,
  );
}
