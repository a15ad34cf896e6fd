import { fill, i18nFor, type Locale } from "@/lib/i18n";
import type { ReportData, StatKey } from "@/lib/reports/types";

/**
 * The scheduled report as a chat message (Slack, Telegram): the same figures as the e-mail
 * (built once by lib/reports/build-report), only the headline ones, in the report's language.
 */

const KPIS: StatKey[] = ["sessions", "orders", "revenue", "conversion_rate", "aov"];
const TOP = 5;

export function renderReportChat(data: ReportData, lang: Locale): { subject: string; text: string } {
  const { t, fmt: f } = i18nFor(lang, data.currency, data.tz);
  const subject = fill(t.report.title, { period: t.report.periodName[data.period] });
  const cur = data.kpis.current;
  const lines = [subject, f.range(data.range), ""];
  for (const k of KPIS) {
    const change = data.kpis.change[k];
    lines.push(`${t.m[k]}: ${f.stat(k, cur[k])}${change === null ? "" : ` (${f.change(change)})`}`);
  }
  lines.push("", `${t.report.sections.sources}:`);
  if (data.sources.rows.length === 0) lines.push(t.noData);
  for (const r of data.sources.rows.slice(0, TOP)) lines.push(`• ${r.key}: ${f.int(r.sessions)} · ${f.int(r.orders)} · ${f.money(r.revenue)}`);
  lines.push("", data.dashboardUrl);
  return { subject, text: lines.join("\n") };
}
