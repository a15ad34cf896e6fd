import { ltvTopSources } from "@/lib/analytics/ltv";
import { capitalize, fill, i18nFor, type Locale } from "@/lib/i18n";
import type { Breakdown, ReportData, StatKey } from "./types";
import { REPORT_MODELS, TOP_ROWS } from "./types";

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

/** The key figures in the order the text lists them (each written by its kind, STAT_KIND). */
const TEXT_KPIS: StatKey[] = ["sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session", "new_sessions", "returning_sessions", "bounce_rate", "avg_page_views"];

export function renderText(data: ReportData, lang: Locale): string {
  const { t, fmt: f } = i18nFor(lang, data.currency, data.tz);
  const out: string[] = [];
  const heading = (title: string) => out.push("", title.toUpperCase(), "");
  const cur = data.kpis.current;

  out.push(fill(t.report.title, { period: t.report.periodName[data.period] }), `${f.range(data.range)} · ${fill(t.report.comparedWith, { range: f.range(data.previousRange) })}`);

  heading(t.blocks.kpi);
  out.push(...table(["", "", t.vsPrevious], TEXT_KPIS.map((k) => [t.m[k], f.stat(k, cur[k]), f.change(data.kpis.change[k])])));

  const breakdown = (title: string, keyLabel: string, b: Breakdown) => {
    heading(title);
    if (b.rows.length === 0) return void out.push(t.noData);
    const row = (key: string, r: Breakdown["total"]) => [key, f.int(r.sessions), f.int(r.orders), f.money(r.revenue), f.pct(r.conversion_rate)];
    out.push(
      ...table(
        [keyLabel, t.m.sessions, t.m.orders, t.m.revenue, t.m.conversion_rate],
        [...b.rows.slice(0, TOP_ROWS).map((r) => row(r.key, r)), row(t.total, b.total)],
      ),
    );
  };
  breakdown(t.report.sections.sources, t.dims.utm_source, data.sources);
  breakdown(t.report.sections.campaigns, t.dims.utm_campaign, data.campaigns);

  heading(t.report.sections.byModel);
  if (data.byModel.length === 0) out.push(t.noData);
  else
    out.push(
      ...table(
        [t.dims.utm_source, ...REPORT_MODELS.map((m) => t.attr.models[m])],
        data.byModel.map((l) => [l.source, ...REPORT_MODELS.map((m) => f.money(l.revenue[m]))]),
      ),
    );

  heading(t.blocks.funnel);
  if (data.funnel.length === 0 || data.funnel[0].sessions === 0) out.push(t.noData);
  else
    out.push(
      ...table(
        [t.report.step, t.m.sessions, capitalize(t.fromStart, lang), capitalize(t.fromPrevious, lang)],
        data.funnel.map((s) => [t.funnelSteps[s.step] ?? s.step, f.int(s.sessions), f.pct(s.rate_from_start), f.pct(s.rate_from_previous)]),
      ),
    );

  heading(t.blocks.repeat);
  const r = data.repeatRate;
  out.push(
    ...table(
      ["", ""],
      [
        [t.totalCustomers, f.int(r.total_customers)],
        [t.repeatCustomers, f.int(r.repeat_customers)],
        [t.repeatRate, f.pct(r.repeat_rate)],
        [t.avgOrdersPerCustomer, f.num(r.avg_orders_per_customer)],
        [t.avgDaysBetween, f.num(r.avg_days_between_orders)],
      ],
    ).slice(2),
  );

  heading(t.blocks.ltv);
  const ltvTop = ltvTopSources(data.ltv).top;
  if (data.ltv.length === 0) out.push(t.noData);
  else {
    out.push(t.tools.ltvTopNote);
    if (ltvTop.length)
      out.push(
        "",
        ...table(
          [t.dims.utm_source, t.m.customers, t.m.ltv, t.m.orders_per_customer, t.m.repeat_rate],
          ltvTop.map((l) => [l.utm_source, f.int(l.customers), f.money(l.ltv), f.num(l.orders_per_customer), f.pct(l.repeat_rate)]),
        ),
      );
  }

  if (data.roi) {
    // SPEC 18: each return figure named for what it divides.
    const ms = t.money;
    const x = (v: number | null) => (v === null ? "—" : `${f.num(v)}×`);
    heading(ms.emailSection);
    out.push(
      ...table(
        ["", ""],
        [
          [t.m.spend, f.money(data.roi.spend)],
          [t.m.revenue, f.money(data.roi.revenue)],
          [ms.paidRevenue, f.money(data.roi.paid_revenue)],
          [`${ms.roasPaid} (${ms.roasPaidHelp})`, x(data.roi.roas)],
          [`${ms.blendedRoas} (${ms.blendedRoasHelp})`, x(data.roi.blended_roas)],
        ],
      ).slice(2),
    );
  }

  heading(t.report.sections.ab);
  if (data.abWinners.length === 0) out.push(t.report.abNone);
  else
    out.push(
      ...table(
        [t.dims.utm_campaign, t.winner, t.lift, t.confidence],
        data.abWinners.map((w) => [w.campaign, w.winner, f.lift(w.winner_lift), f.pct(w.confidence)]),
      ),
    );

  out.push("", `${t.report.openDashboard}: ${data.dashboardUrl}`, t.report.attachmentsNote, "", fill(t.report.footer, { tz: data.tz, at: f.dateTime(data.generatedAt) }));
  return out.join("\n") + "\n";
}
