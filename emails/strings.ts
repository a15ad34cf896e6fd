/**
 * Every word of the e-mail report, in Ukrainian (the product's first language, seed strings) and
 * English. The HTML template, the plain-text version and the CSV headers all read from here, so
 * the two renderings can never disagree.
 */

export type ReportLang = "uk" | "en";

export type ReportStrings = {
  locale: string;
  subject: (periodName: string, range: string) => string;
  title: (periodName: string) => string;
  preview: (range: string, sessions: string, revenue: string) => string;
  periodName: { day: string; week: string; month: string };
  comparedWith: (range: string) => string;
  sections: {
    kpis: string;
    sources: string;
    campaigns: string;
    funnel: string;
    repeat: string;
    ltv: string;
    ab: string;
    byModel: string;
  };
  kpi: {
    sessions: string;
    visitors: string;
    conversions: string;
    conversion_rate: string;
    orders: string;
    revenue: string;
    aov: string;
    revenue_per_session: string;
    new_sessions: string;
    returning_sessions: string;
    bounce_rate: string;
    avg_page_views: string;
  };
  vsPrevious: string;
  col: {
    source: string;
    campaign: string;
    sessions: string;
    visitors: string;
    conversions: string;
    conversionRate: string;
    orders: string;
    revenue: string;
    aov: string;
    revenuePerSession: string;
    customers: string;
    ltv: string;
    ordersPerCustomer: string;
    repeatRate: string;
    step: string;
    fromStart: string;
    fromPrevious: string;
    variant: string;
  };
  total: string;
  funnelStep: Record<string, string>;
  repeat: {
    total_customers: string;
    repeat_customers: string;
    repeat_rate: string;
    avg_orders_per_customer: string;
    avg_days_between_orders: string;
  };
  ab: { winner: string; lift: string; confidence: string; none: string };
  /** Column names of the "by model" line (SPEC 13 attribution models). */
  models: { last_non_direct: string; first_click: string; linear: string };
  noData: string;
  openDashboard: string;
  attachmentsNote: string;
  footer: (tz: string, generatedAt: string) => string;
};

const uk: ReportStrings = {
  locale: "uk-UA",
  subject: (p, r) => `UTM-звіт за ${p}: ${r}`,
  title: (p) => `UTM-звіт за ${p}`,
  preview: (r, s, rev) => `${r}: ${s} сесій, дохід ${rev}`,
  periodName: { day: "день", week: "тиждень", month: "місяць" },
  comparedWith: (r) => `Порівняно з ${r}`,
  sections: {
    kpis: "Ключові показники",
    sources: "Топ джерел",
    campaigns: "Топ кампаній",
    funnel: "Воронка",
    repeat: "Повторні покупки",
    ltv: "LTV за джерелом залучення",
    ab: "A/B-тести зі значущим переможцем",
    byModel: "Дохід топ-джерел за моделями атрибуції",
  },
  kpi: {
    sessions: "Сесії",
    visitors: "Відвідувачі",
    conversions: "Конверсії",
    conversion_rate: "Конверсія",
    orders: "Замовлення",
    revenue: "Дохід",
    aov: "Середній чек",
    revenue_per_session: "Дохід на сесію",
    new_sessions: "Нові сесії",
    returning_sessions: "Повторні сесії",
    bounce_rate: "Відмови",
    avg_page_views: "Переглядів на сесію",
  },
  vsPrevious: "до попереднього",
  col: {
    source: "Джерело",
    campaign: "Кампанія",
    sessions: "Сесії",
    visitors: "Відвідувачі",
    conversions: "Конверсії",
    conversionRate: "Конверсія",
    orders: "Замовлення",
    revenue: "Дохід",
    aov: "Середній чек",
    revenuePerSession: "Дохід на сесію",
    customers: "Клієнти",
    ltv: "LTV",
    ordersPerCustomer: "Замовлень на клієнта",
    repeatRate: "Повторні покупки",
    step: "Крок",
    fromStart: "Від початку",
    fromPrevious: "Від попереднього",
    variant: "Варіант",
  },
  total: "Усього",
  funnelStep: {
    sessions: "Сесії",
    product_view: "Перегляд товару",
    add_to_cart: "Додано в кошик",
    checkout_start: "Оформлення",
    purchase: "Покупка",
  },
  repeat: {
    total_customers: "Клієнтів",
    repeat_customers: "Повторних клієнтів",
    repeat_rate: "Частка повторних",
    avg_orders_per_customer: "Замовлень на клієнта",
    avg_days_between_orders: "Днів між замовленнями",
  },
  ab: { winner: "Переможець", lift: "Приріст", confidence: "Достовірність", none: "Немає тестів зі значущим результатом" },
  models: { last_non_direct: "Останній непрямий", first_click: "Перший клік", linear: "Лінійна" },
  noData: "Немає даних",
  openDashboard: "Відкрити в дашборді",
  attachmentsNote: "Повні таблиці джерел, кампаній і LTV — у вкладених CSV-файлах.",
  footer: (tz, at) => `Часовий пояс: ${tz}. Сформовано ${at}. UTM Dispatcher.`,
};

const en: ReportStrings = {
  locale: "en-US",
  subject: (p, r) => `UTM report for the ${p}: ${r}`,
  title: (p) => `UTM report for the ${p}`,
  preview: (r, s, rev) => `${r}: ${s} sessions, ${rev} revenue`,
  periodName: { day: "day", week: "week", month: "month" },
  comparedWith: (r) => `Compared with ${r}`,
  sections: {
    kpis: "Key figures",
    sources: "Top sources",
    campaigns: "Top campaigns",
    funnel: "Funnel",
    repeat: "Repeat purchases",
    ltv: "LTV by acquisition source",
    ab: "A/B tests with a significant winner",
    byModel: "Top sources' revenue by attribution model",
  },
  kpi: {
    sessions: "Sessions",
    visitors: "Visitors",
    conversions: "Conversions",
    conversion_rate: "Conversion rate",
    orders: "Orders",
    revenue: "Revenue",
    aov: "Average order",
    revenue_per_session: "Revenue per session",
    new_sessions: "New sessions",
    returning_sessions: "Returning sessions",
    bounce_rate: "Bounce rate",
    avg_page_views: "Pages per session",
  },
  vsPrevious: "vs previous",
  col: {
    source: "Source",
    campaign: "Campaign",
    sessions: "Sessions",
    visitors: "Visitors",
    conversions: "Conversions",
    conversionRate: "Conv. rate",
    orders: "Orders",
    revenue: "Revenue",
    aov: "AOV",
    revenuePerSession: "Revenue / session",
    customers: "Customers",
    ltv: "LTV",
    ordersPerCustomer: "Orders / customer",
    repeatRate: "Repeat rate",
    step: "Step",
    fromStart: "From start",
    fromPrevious: "From previous",
    variant: "Variant",
  },
  total: "Total",
  funnelStep: {
    sessions: "Sessions",
    product_view: "Product view",
    add_to_cart: "Add to cart",
    checkout_start: "Checkout",
    purchase: "Purchase",
  },
  repeat: {
    total_customers: "Customers",
    repeat_customers: "Repeat customers",
    repeat_rate: "Repeat rate",
    avg_orders_per_customer: "Orders per customer",
    avg_days_between_orders: "Days between orders",
  },
  ab: { winner: "Winner", lift: "Lift", confidence: "Confidence", none: "No test has a significant result" },
  models: { last_non_direct: "Last non-direct", first_click: "First click", linear: "Linear" },
  noData: "No data",
  openDashboard: "Open in the dashboard",
  attachmentsNote: "The full source, campaign and LTV tables are attached as CSV files.",
  footer: (tz, at) => `Time zone: ${tz}. Generated ${at}. UTM Dispatcher.`,
};

export const REPORT_STRINGS: Record<ReportLang, ReportStrings> = { uk, en };

export function reportStrings(lang: ReportLang): ReportStrings {
  return REPORT_STRINGS[lang];
}
