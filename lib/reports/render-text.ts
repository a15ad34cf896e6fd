import { formatter } from "@/emails/format";
import { reportStrings, type ReportLang } from "@/emails/strings";
import type { Breakdown, ReportData, StatKey } from "./types";
import { REPORT_MODELS, TOP_LTV, TOP_ROWS } from "./types";

/**
 * The plain-text version of the report: the same sections as the HTML, as aligned columns that
 * read well in a terminal (`--dry-run`) and in mail clients that show text only.
 */

function table(header: string[], body: string[][]): string[] {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)];
}

export function renderText(data: ReportData, lang: ReportLang): string {
  const t = reportStrings(lang);
  const f = formatter(lang, data.currency);
  const out: string[] = [];
  const heading = (title: string) => out.push("", title.toUpperCase(), "");
  const cur = data.kpis.current;

  out.push(t.title(t.periodName[data.period]), `${f.range(data.range)} · ${t.comparedWith(f.range(data.previousRange))}`);

  heading(t.sections.kpis);
  const kpis: [StatKey, (n: number) => string][] = [
    ["sessions", f.int],
    ["visitors", f.int],
    ["conversions", f.int],
    ["conversion_rate", f.percent],
    ["orders", f.int],
    ["revenue", f.money],
    ["aov", f.money],
    ["revenue_per_session", f.money],
    ["new_sessions", f.int],
    ["returning_sessions", f.int],
    ["bounce_rate", f.percent],
    ["avg_page_views", f.num],
  ];
  out.push(...table(["", "", t.vsPrevious], kpis.map(([k, fmt]) => [t.kpi[k], fmt(cur[k]), f.change(data.kpis.change[k])])));

  const breakdown = (title: string, keyLabel: string, b: Breakdown) => {
    heading(title);
    if (b.rows.length === 0) return void out.push(t.noData);
    const row = (key: string, r: Breakdown["total"]) => [key, f.int(r.sessions), f.int(r.orders), f.money(r.revenue), f.percent(r.conversion_rate)];
    out.push(
      ...table(
        [keyLabel, t.col.sessions, t.col.orders, t.col.revenue, t.col.conversionRate],
        [...b.rows.slice(0, TOP_ROWS).map((r) => row(r.key, r)), row(t.total, b.total)],
      ),
    );
  };
  breakdown(t.sections.sources, t.col.source, data.sources);
  breakdown(t.sections.campaigns, t.col.campaign, data.campaigns);

  heading(t.sections.byModel);
  if (data.byModel.length === 0) out.push(t.noData);
  else
    out.push(
      ...table(
        [t.col.source, ...REPORT_MODELS.map((m) => t.models[m])],
        data.byModel.map((l) => [l.source, ...REPORT_MODELS.map((m) => f.money(l.revenue[m]))]),
      ),
    );

  heading(t.sections.funnel);
  if (data.funnel.length === 0 || data.funnel[0].sessions === 0) out.push(t.noData);
  else
    out.push(
      ...table(
        [t.col.step, t.col.sessions, t.col.fromStart, t.col.fromPrevious],
        data.funnel.map((s) => [t.funnelStep[s.step] ?? s.step, f.int(s.sessions), f.percent(s.rate_from_start), f.percent(s.rate_from_previous)]),
      ),
    );

  heading(t.sections.repeat);
  const r = data.repeatRate;
  out.push(
    ...table(
      ["", ""],
      [
        [t.repeat.total_customers, f.int(r.total_customers)],
        [t.repeat.repeat_customers, f.int(r.repeat_customers)],
        [t.repeat.repeat_rate, f.percent(r.repeat_rate)],
        [t.repeat.avg_orders_per_customer, f.num(r.avg_orders_per_customer)],
        [t.repeat.avg_days_between_orders, f.num(r.avg_days_between_orders)],
      ],
    ).slice(2),
  );

  heading(t.sections.ltv);
  if (data.ltv.length === 0) out.push(t.noData);
  else
    out.push(
      ...table(
        [t.col.source, t.col.customers, t.col.ltv, t.col.ordersPerCustomer, t.col.repeatRate],
        data.ltv.slice(0, TOP_LTV).map((l) => [l.utm_source, f.int(l.customers), f.money(l.ltv), f.num(l.orders_per_customer), f.percent(l.repeat_rate)]),
      ),
    );

  heading(t.sections.ab);
  if (data.abWinners.length === 0) out.push(t.ab.none);
  else
    out.push(
      ...table(
        [t.col.campaign, t.ab.winner, t.ab.lift, t.ab.confidence],
        data.abWinners.map((w) => [w.campaign, w.winner, f.change(w.winner_lift), f.percent(w.confidence)]),
      ),
    );

  out.push("", `${t.openDashboard}: ${data.dashboardUrl}`, t.attachmentsNote, "", t.footer(data.tz, f.instant(data.generatedAt, data.tz)));
  return out.join("\n") + "\n";
}
