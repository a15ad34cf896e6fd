import type { BreakdownRow, ReportData, Stats } from "@/lib/reports/types";

/** A hand-made report (what build-report would produce) for the rendering tests and the screenshot. */

const stats = (o: Partial<Stats>): Stats => ({
  sessions: 0,
  visitors: 0,
  conversions: 0,
  conversion_rate: 0,
  orders: 0,
  revenue: 0,
  aov: 0,
  revenue_per_session: 0,
  new_sessions: 0,
  returning_sessions: 0,
  bounce_rate: 0,
  avg_page_views: 0,
  ...o,
});

const row = (key: string, sessions: number, visitors: number, conversions: number, orders: number, revenue: number): BreakdownRow => ({
  key,
  sessions,
  visitors,
  conversions,
  conversion_rate: Math.round((conversions / sessions) * 10000) / 100,
  orders,
  revenue,
  aov: orders ? Math.round((revenue / orders) * 100) / 100 : 0,
  revenue_per_session: Math.round((revenue / sessions) * 100) / 100,
});

export function sampleReport(): ReportData {
  const sources = [row("google", 4210, 3650, 168, 175, 262_500), row("facebook", 2980, 2710, 74, 76, 98_420.5), row("instagram", 1650, 1540, 41, 41, 53_300), row("(direct)", 1320, 990, 52, 55, 88_000), row("=cmd|' /C calc'!A0", 12, 12, 0, 0, 0)];
  const campaigns = [row("winter_sale", 3900, 3400, 150, 156, 241_800), row("brand", 2100, 1900, 61, 63, 94_500), row("retargeting", 980, 870, 39, 40, 62_000)];
  const total = (rows: BreakdownRow[], key = "total"): BreakdownRow => {
    const sum = (k: keyof BreakdownRow) => rows.reduce((a, r) => a + (r[k] as number), 0);
    return row(key, sum("sessions"), sum("visitors") - 400, sum("conversions"), sum("orders"), sum("revenue"));
  };
  return {
    period: "week",
    range: { start: "2026-01-05", end: "2026-01-11" },
    previousRange: { start: "2025-12-29", end: "2026-01-04" },
    tz: "Europe/Kyiv",
    currency: "UAH",
    kpis: {
      current: stats({ sessions: 10172, visitors: 8502, conversions: 335, conversion_rate: 3.29, orders: 347, revenue: 502_220.5, aov: 1447.32, revenue_per_session: 49.37, new_sessions: 7110, returning_sessions: 3062, bounce_rate: 41.8, avg_page_views: 3.42 }),
      previous: stats({ sessions: 9400, visitors: 7900, conversions: 301, conversion_rate: 3.2, orders: 310, revenue: 430_100, aov: 1387.42, revenue_per_session: 45.76, new_sessions: 6650, returning_sessions: 2750, bounce_rate: 43.1, avg_page_views: 3.3 }),
      change: { sessions: 8.21, visitors: 7.62, conversions: 11.3, conversion_rate: 2.82, orders: 11.94, revenue: 16.77, aov: 4.32, revenue_per_session: 7.89, new_sessions: 6.92, returning_sessions: 11.35, bounce_rate: -3.02, avg_page_views: 3.64 },
    },
    sources: { rows: sources, total: total(sources) },
    campaigns: { rows: campaigns, total: total(campaigns) },
    funnel: [
      { step: "sessions", sessions: 10172, rate_from_start: 100, rate_from_previous: 100 },
      { step: "product_view", sessions: 5630, rate_from_start: 55.35, rate_from_previous: 55.35 },
      { step: "add_to_cart", sessions: 1480, rate_from_start: 14.55, rate_from_previous: 26.29 },
      { step: "checkout_start", sessions: 610, rate_from_start: 6, rate_from_previous: 41.22 },
      { step: "purchase", sessions: 335, rate_from_start: 3.29, rate_from_previous: 54.92 },
    ],
    repeatRate: { total_customers: 322, repeat_customers: 71, repeat_rate: 22.05, avg_orders_per_customer: 1.31, avg_days_between_orders: 18.46 },
    ltv: [
      { utm_source: "google", customers: 160, orders: 210, revenue: 310_000, ltv: 1937.5, aov: 1476.19, orders_per_customer: 1.31, repeat_rate: 24.38 },
      { utm_source: "(direct)", customers: 50, orders: 61, revenue: 91_000, ltv: 1820, aov: 1491.8, orders_per_customer: 1.22, repeat_rate: 18 },
      { utm_source: "facebook", customers: 72, orders: 80, revenue: 101_000, ltv: 1402.78, aov: 1262.5, orders_per_customer: 1.11, repeat_rate: 9.72 },
    ],
    abWinners: [
      {
        campaign: "winter_sale",
        winner: "banner_b",
        winner_lift: 48.65,
        confidence: 99.12,
        variants: [
          { utm_content: "banner_b", sessions: 1950, conversions: 93, conversion_rate: 4.77, revenue: 150_000, revenue_per_session: 76.92, aov: 1612.9, probability_to_be_best: 99.6 },
          { utm_content: "banner_a", sessions: 1950, conversions: 57, conversion_rate: 2.92, revenue: 91_800, revenue_per_session: 47.08, aov: 1610.53, probability_to_be_best: 0.4 },
        ],
      },
    ],
    byModel: [
      { source: "google", revenue: { last_non_direct: 240_300, first_click: 198_750.25, linear: 221_410.5 } },
      { source: "facebook", revenue: { last_non_direct: 96_000, first_click: 131_200, linear: 110_333.33 } },
      { source: "instagram", revenue: { last_non_direct: 51_300, first_click: 64_000, linear: 57_050 } },
    ],
    dashboardUrl: "http://localhost:3000/dispatcher?start_date=2026-01-05&end_date=2026-01-11",
    generatedAt: "2026-01-12T05:00:00.000Z",
  };
}
