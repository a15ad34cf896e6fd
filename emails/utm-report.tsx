import { Body, Button, Column, Container, Head, Heading, Hr, Html, Preview, Row, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import type { Breakdown, ReportData, StatKey } from "@/lib/reports/types";
import { REPORT_MODELS, TOP_ROWS } from "@/lib/reports/types";
import { ltvTopSources } from "@/lib/analytics/ltv";
import { capitalize, fill, i18nFor, type Dict, type Formatters, type Locale } from "@/lib/i18n";

/**
 * The HTML e-mail of the UTM report (SPEC 7), a React Email template. Inline styles and tables
 * only, because mail clients ignore stylesheets; 600 px wide, the width mail clients expect.
 * Words and number/date formats are the dashboard's (lib/i18n): same labels, same formatters.
 * Size: over 300 lines because a React Email template is one tree of inline-styled tables (mail
 * clients drop stylesheets and most components); its sections share the palette and the row helpers
 * defined here, so splitting them would pass the same dozen props through every file.
 */

const C = {
  bg: "#f3f4f6",
  card: "#ffffff",
  ink: "#111827",
  muted: "#6b7280",
  line: "#e5e7eb",
  brand: "#4338ca",
  brandSoft: "#eef2ff",
  up: "#047857",
  upBg: "#d1fae5",
  down: "#b91c1c",
  downBg: "#fee2e2",
  flatBg: "#f3f4f6",
};

const font = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const s = {
  body: { backgroundColor: C.bg, margin: 0, padding: "24px 0", fontFamily: font, color: C.ink } satisfies CSSProperties,
  container: { width: "600px", maxWidth: "600px", backgroundColor: C.card, borderRadius: "8px", overflow: "hidden" } satisfies CSSProperties,
  header: { backgroundColor: C.brand, padding: "24px 28px" } satisfies CSSProperties,
  h1: { color: "#ffffff", fontSize: "22px", lineHeight: "28px", margin: 0 } satisfies CSSProperties,
  headerSub: { color: "#e0e7ff", fontSize: "14px", lineHeight: "20px", margin: "6px 0 0" } satisfies CSSProperties,
  section: { padding: "20px 28px 4px" } satisfies CSSProperties,
  h2: { fontSize: "16px", lineHeight: "22px", margin: "0 0 10px", color: C.ink } satisfies CSSProperties,
  kpiCell: { padding: "10px 12px", backgroundColor: C.brandSoft, borderRadius: "6px" } satisfies CSSProperties,
  kpiLabel: { fontSize: "12px", lineHeight: "16px", color: C.muted, margin: 0 } satisfies CSSProperties,
  kpiValue: { fontSize: "20px", lineHeight: "26px", fontWeight: 700, margin: "2px 0 4px", color: C.ink } satisfies CSSProperties,
  small: { fontSize: "12px", lineHeight: "18px", color: C.muted, margin: "8px 0 0" } satisfies CSSProperties,
  table: { width: "100%", borderCollapse: "collapse", fontSize: "13px", lineHeight: "18px" } satisfies CSSProperties,
  th: { textAlign: "right", color: C.muted, fontWeight: 600, padding: "6px 4px", borderBottom: `1px solid ${C.line}`, fontSize: "12px" } satisfies CSSProperties,
  td: { textAlign: "right", padding: "6px 4px", borderBottom: `1px solid ${C.line}`, whiteSpace: "nowrap" } satisfies CSSProperties,
  footer: { fontSize: "12px", lineHeight: "18px", color: C.muted, padding: "0 28px 24px", margin: 0 } satisfies CSSProperties,
};
const left: CSSProperties = { textAlign: "left", whiteSpace: "normal", wordBreak: "break-word" };

/** Stats where a rise is bad news (shown red when it grows). */
const LOWER_IS_BETTER: ReadonlySet<StatKey> = new Set(["bounce_rate"]);

function ChangeBadge({ value, stat, f, label }: { value: number | null; stat: StatKey; f: Formatters; label: string }) {
  const good = value === null || value === 0 ? null : (value > 0) !== LOWER_IS_BETTER.has(stat);
  const style: CSSProperties = {
    display: "inline-block",
    fontSize: "12px",
    lineHeight: "16px",
    padding: "1px 6px",
    borderRadius: "10px",
    color: good === null ? C.muted : good ? C.up : C.down,
    backgroundColor: good === null ? C.flatBg : good ? C.upBg : C.downBg,
  };
  return (
    <span style={style} title={label}>
      {f.change(value)}
    </span>
  );
}

function Kpi({ data, stat, t, f }: { data: ReportData; stat: StatKey; t: Dict; f: Formatters }) {
  return (
    <div style={s.kpiCell}>
      <p style={s.kpiLabel}>{t.m[stat]}</p>
      <p style={s.kpiValue}>{f.stat(stat, data.kpis.current[stat])}</p>
      <ChangeBadge value={data.kpis.change[stat]} stat={stat} f={f} label={t.vsPrevious} />
    </div>
  );
}

function SectionBlock({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Section style={s.section}>
      <Heading as="h2" style={s.h2}>
        {title}
      </Heading>
      {children}
    </Section>
  );
}

function NoData({ t }: { t: Dict }) {
  return <Text style={{ ...s.small, margin: "0 0 8px" }}>{t.noData}</Text>;
}

function BreakdownTable({ b, keyLabel, t, f }: { b: Breakdown; keyLabel: string; t: Dict; f: Formatters }) {
  if (b.rows.length === 0) return <NoData t={t} />;
  const rows = b.rows.slice(0, TOP_ROWS);
  return (
    <table style={s.table} cellPadding={0} cellSpacing={0} role="presentation">
      <thead>
        <tr>
          <th style={{ ...s.th, ...left }}>{keyLabel}</th>
          <th style={s.th}>{t.m.sessions}</th>
          <th style={s.th}>{t.m.orders}</th>
          <th style={s.th}>{t.m.revenue}</th>
          <th style={s.th}>{t.m.conversion_rate}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td style={{ ...s.td, ...left }}>{r.key}</td>
            <td style={s.td}>{f.int(r.sessions)}</td>
            <td style={s.td}>{f.int(r.orders)}</td>
            <td style={s.td}>{f.money(r.revenue)}</td>
            <td style={s.td}>{f.pct(r.conversion_rate)}</td>
          </tr>
        ))}
        <tr>
          <td style={{ ...s.td, ...left, fontWeight: 700 }}>{t.total}</td>
          <td style={{ ...s.td, fontWeight: 700 }}>{f.int(b.total.sessions)}</td>
          <td style={{ ...s.td, fontWeight: 700 }}>{f.int(b.total.orders)}</td>
          <td style={{ ...s.td, fontWeight: 700 }}>{f.money(b.total.revenue)}</td>
          <td style={{ ...s.td, fontWeight: 700 }}>{f.pct(b.total.conversion_rate)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Funnel({ data, t, f }: { data: ReportData; t: Dict; f: Formatters }) {
  if (data.funnel.length === 0 || data.funnel[0].sessions === 0) return <NoData t={t} />;
  return (
    <table style={s.table} cellPadding={0} cellSpacing={0} role="presentation">
      <thead>
        <tr>
          <th style={{ ...s.th, ...left, width: "150px" }}>{t.report.step}</th>
          <th style={{ ...s.th, ...left }} />
          <th style={s.th}>{t.m.sessions}</th>
          <th style={s.th}>{capitalize(t.fromPrevious, f.locale)}</th>
        </tr>
      </thead>
      <tbody>
        {data.funnel.map((st) => (
          <tr key={st.step}>
            <td style={{ ...s.td, ...left }}>{t.funnelSteps[st.step] ?? st.step}</td>
            <td style={{ ...s.td, ...left, width: "200px" }}>
              {/* A bar as a sized block: mail clients render widths, not SVG or CSS gradients. */}
              <div style={{ backgroundColor: C.brandSoft, borderRadius: "3px", width: "200px" }}>
                <div
                  style={{
                    backgroundColor: C.brand,
                    height: "10px",
                    borderRadius: "3px",
                    width: `${Math.max(1, Math.round((st.rate_from_start / 100) * 200))}px`,
                  }}
                />
              </div>
            </td>
            <td style={s.td}>
              {f.int(st.sessions)} <span style={{ color: C.muted }}>({f.pct(st.rate_from_start)})</span>
            </td>
            <td style={s.td}>{f.pct(st.rate_from_previous)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RepeatCards({ data, t, f }: { data: ReportData; t: Dict; f: Formatters }) {
  const r = data.repeatRate;
  const cards: [string, string][] = [
    [t.totalCustomers, f.int(r.total_customers)],
    [t.repeatCustomers, f.int(r.repeat_customers)],
    [t.repeatRate, f.pct(r.repeat_rate)],
    [t.avgOrdersPerCustomer, f.num(r.avg_orders_per_customer)],
    [t.avgDaysBetween, f.num(r.avg_days_between_orders)],
  ];
  return (
    <Row>
      {cards.map(([label, value], i) => (
        <Column key={label} style={{ width: "20%", verticalAlign: "top", paddingLeft: i === 0 ? 0 : "6px" }}>
          <div style={{ ...s.kpiCell, padding: "8px", minHeight: "58px" }}>
            <p style={{ ...s.kpiLabel, fontSize: "11px", lineHeight: "14px" }}>{label}</p>
            <p style={{ ...s.kpiValue, fontSize: "17px", margin: "4px 0 0" }}>{value}</p>
          </div>
        </Column>
      ))}
    </Row>
  );
}

/** The top sources' revenue under three attribution models (SPEC 13): where the credit moves. */
function ByModelTable({ data, t, f }: { data: ReportData; t: Dict; f: Formatters }) {
  if (data.byModel.length === 0) return <NoData t={t} />;
  return (
    <table style={s.table} cellPadding={0} cellSpacing={0} role="presentation">
      <thead>
        <tr>
          <th style={{ ...s.th, ...left }}>{t.dims.utm_source}</th>
          {REPORT_MODELS.map((m) => (
            <th key={m} style={s.th}>
              {t.attr.models[m]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.byModel.map((l) => (
          <tr key={l.source}>
            <td style={{ ...s.td, ...left }}>{l.source}</td>
            {REPORT_MODELS.map((m) => (
              <td key={m} style={m === "last_non_direct" ? { ...s.td, fontWeight: 600 } : s.td}>
                {f.money(l.revenue[m])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The dashboard's top 5 (ltvTopSources: sources with at least 5 customers), with its rule written above it. */
function LtvTable({ data, t, f }: { data: ReportData; t: Dict; f: Formatters }) {
  if (data.ltv.length === 0) return <NoData t={t} />;
  const top = ltvTopSources(data.ltv).top;
  const note = <Text style={{ ...s.small, margin: "0 0 8px" }}>{t.tools.ltvTopNote}</Text>;
  if (top.length === 0) return note;
  return (
    <>
      {note}
      <table style={s.table} cellPadding={0} cellSpacing={0} role="presentation">
        <thead>
          <tr>
            <th style={{ ...s.th, ...left }}>{t.dims.utm_source}</th>
            <th style={s.th}>{t.m.customers}</th>
            <th style={s.th}>{t.m.ltv}</th>
            <th style={s.th}>{t.m.orders_per_customer}</th>
            <th style={s.th}>{t.m.repeat_rate}</th>
          </tr>
        </thead>
        <tbody>
          {top.map((r) => (
            <tr key={r.utm_source}>
              <td style={{ ...s.td, ...left }}>{r.utm_source}</td>
              <td style={s.td}>{f.int(r.customers)}</td>
              <td style={{ ...s.td, fontWeight: 600 }}>{f.money(r.ltv)}</td>
              <td style={s.td}>{f.num(r.orders_per_customer)}</td>
              <td style={s.td}>{f.pct(r.repeat_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** SPEC 18: the period's spend and return, ROAS of campaigns with spend beside blended ROAS (MER). */
function SpendReturn({ roi, t, f }: { roi: NonNullable<ReportData["roi"]>; t: Dict; f: Formatters }) {
  const ms = t.money;
  const x = (v: number | null) => (v === null ? "—" : `${f.num(v)}×`);
  const lines: [string, string, string][] = [
    [t.m.spend, "", f.money(roi.spend)],
    [t.m.revenue, "", f.money(roi.revenue)],
    [ms.paidRevenue, "", f.money(roi.paid_revenue)],
    [ms.roasPaid, ms.roasPaidHelp, x(roi.roas)],
    [ms.blendedRoas, ms.blendedRoasHelp, x(roi.blended_roas)],
  ];
  return (
    <table style={s.table} cellPadding={0} cellSpacing={0} role="presentation">
      <tbody>
        {lines.map(([label, help, value]) => (
          <tr key={label}>
            <td style={{ ...s.td, ...left }}>
              {label}
              {help ? <span style={{ ...s.small, display: "block" }}>{help}</span> : null}
            </td>
            <td style={{ ...s.td, fontWeight: 600 }}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AbWinners({ data, t, f }: { data: ReportData; t: Dict; f: Formatters }) {
  if (data.abWinners.length === 0) return <Text style={{ ...s.small, margin: "0 0 8px" }}>{t.report.abNone}</Text>;
  return (
    <table style={s.table} cellPadding={0} cellSpacing={0} role="presentation">
      <thead>
        <tr>
          <th style={{ ...s.th, ...left }}>{t.dims.utm_campaign}</th>
          <th style={{ ...s.th, ...left }}>{t.winner}</th>
          <th style={s.th}>{t.lift}</th>
          <th style={s.th}>{t.confidence}</th>
        </tr>
      </thead>
      <tbody>
        {data.abWinners.map((w) => (
          <tr key={w.campaign}>
            <td style={{ ...s.td, ...left }}>{w.campaign}</td>
            <td style={{ ...s.td, ...left, fontWeight: 600 }}>🏆 {w.winner}</td>
            <td style={{ ...s.td, color: C.up }}>{f.lift(w.winner_lift)}</td>
            <td style={s.td}>{f.pct(w.confidence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UtmReportEmail({ data, lang }: { data: ReportData; lang: Locale }) {
  const { t, fmt: f } = i18nFor(lang, data.currency, data.tz);
  const period = t.report.periodName[data.period];
  const cur = data.kpis.current;
  const kpiGrid: StatKey[][] = [
    ["sessions", "visitors", "orders"],
    ["revenue", "conversion_rate", "aov"],
  ];
  return (
    <Html lang={lang}>
      <Head />
      <Preview>{fill(t.report.preview, { range: f.range(data.range), sessions: f.int(cur.sessions), revenue: f.money(cur.revenue) })}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Section style={s.header}>
            <Heading as="h1" style={s.h1}>
              {fill(t.report.title, { period })}
            </Heading>
            <Text style={s.headerSub}>
              {f.range(data.range)} · {fill(t.report.comparedWith, { range: f.range(data.previousRange) })}
            </Text>
          </Section>

          <SectionBlock title={t.blocks.kpi}>
            {kpiGrid.map((row, ri) => (
              <Row key={ri} style={{ marginBottom: "8px" }}>
                {row.map((stat, ci) => (
                  <Column key={stat} style={{ width: "33.33%", verticalAlign: "top", paddingLeft: ci === 0 ? 0 : "8px" }}>
                    <Kpi data={data} stat={stat} t={t} f={f} />
                  </Column>
                ))}
              </Row>
            ))}
            <Text style={s.small}>
              {t.m.new_sessions}: {f.stat("new_sessions", cur.new_sessions)} · {t.m.returning_sessions}: {f.stat("returning_sessions", cur.returning_sessions)} ·{" "}
              {t.m.bounce_rate}: {f.stat("bounce_rate", cur.bounce_rate)} ({f.change(data.kpis.change.bounce_rate)}) · {t.m.avg_page_views}:{" "}
              {f.stat("avg_page_views", cur.avg_page_views)}
            </Text>
          </SectionBlock>

          <SectionBlock title={t.report.sections.sources}>
            <BreakdownTable b={data.sources} keyLabel={t.dims.utm_source} t={t} f={f} />
          </SectionBlock>
          <SectionBlock title={t.report.sections.campaigns}>
            <BreakdownTable b={data.campaigns} keyLabel={t.dims.utm_campaign} t={t} f={f} />
          </SectionBlock>
          <SectionBlock title={t.report.sections.byModel}>
            <ByModelTable data={data} t={t} f={f} />
          </SectionBlock>
          <SectionBlock title={t.blocks.funnel}>
            <Funnel data={data} t={t} f={f} />
          </SectionBlock>
          <SectionBlock title={t.blocks.repeat}>
            <RepeatCards data={data} t={t} f={f} />
          </SectionBlock>
          <SectionBlock title={t.blocks.ltv}>
            <LtvTable data={data} t={t} f={f} />
          </SectionBlock>
          {data.roi ? (
            <SectionBlock title={t.money.emailSection}>
              <SpendReturn roi={data.roi} t={t} f={f} />
            </SectionBlock>
          ) : null}
          <SectionBlock title={t.report.sections.ab}>
            <AbWinners data={data} t={t} f={f} />
          </SectionBlock>

          <Section style={{ padding: "20px 28px 8px", textAlign: "center" }}>
            <Button
              href={data.dashboardUrl}
              style={{ backgroundColor: C.brand, color: "#ffffff", borderRadius: "6px", padding: "12px 22px", fontSize: "14px", fontWeight: 600, textDecoration: "none" }}
            >
              {t.report.openDashboard}
            </Button>
            <Text style={s.small}>{t.report.attachmentsNote}</Text>
          </Section>
          <Section style={{ padding: "4px 28px 0" }}>
            <Hr style={{ borderColor: C.line, margin: "8px 0 12px" }} />
          </Section>
          <Text style={s.footer}>{fill(t.report.footer, { tz: data.tz, at: f.dateTime(data.generatedAt) })}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export default UtmReportEmail;
