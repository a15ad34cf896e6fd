import type { PluralForms } from "./format";

/**
 * The dashboard's controls (date presets, compare modes, tabs, pending and empty states, charts):
 * the `dash` area of the one dictionary (uk.ts, en.ts). Same keys in both languages (the type
 * checks it); a preset or tab missing here is a compile error where the dashboard indexes it.
 */
export const dashUk = {
  presets: {
    today: "Сьогодні",
    yesterday: "Вчора",
    "7d": "7 днів",
    "30d": "30 днів",
    "90d": "90 днів",
    "365d": "365 днів",
    this_month: "Цей місяць",
    last_month: "Минулий місяць",
    this_year: "Цей рік",
    all: "Весь час",
  },
  custom: "Свій період",
  compareOff: "Без порівняння",
  compareWith: "Порівняти з",
  compareModes: { previous_period: "попереднім періодом", previous_year: "тим самим періодом торік" },
  updating: "Оновлення…",
  tabs: {
    sources: "Джерела",
    mediums: "Канали",
    campaigns: "Кампанії",
    content: "Контент",
    terms: "Ключові слова",
    landing_pages: "Сторінки входу",
    referrers: "Реферери",
    devices: "Пристрої",
    browsers: "Браузери",
    os: "ОС",
    geo: "Країни",
  },
  cards: { acquisition: "Джерела трафіку", pages: "Сторінки і реферери", tech: "Пристрої і браузери", geo: "Географія", goals: "Цілі (події)" },
  goals: { event: "Подія", events: "Подій", sessions: "Сесій", visitors: "Відвідувачів", conversion_rate: "Конверсія" },
  eventTypes: { page_view: "Перегляд сторінки", product_view: "Перегляд товару", add_to_cart: "Додавання в кошик", checkout_start: "Оформлення", purchase: "Покупка", custom: "Своя подія" } as Record<string, string>,
  emptyNoSessions: "Ще немає жодної сесії. Додайте трекер на сайт — вставте цей код перед </head>:",
  trackerHealth: "Перевірити трекер",
  emptyRange: "За цей період сесій немає.",
  showAllTime: "Показати весь час",
  partial: "неповний період",
  hourly: "по годинах",
  funnelChart: "Воронка",
  /** SPEC 17.5: paid orders in another currency with no rate of their day yet (they count nowhere). */
  awaitingRate: { one: "замовлення чекає на курс", few: "замовлення чекають на курс", many: "замовлень чекають на курс", other: "замовлення чекає на курс" } as PluralForms,
  awaitingRateHint: "Вони не входять у жодні показники, доки не буде курсу їхнього дня (RATES_URL або npm run utm -- rates import).",
};

export type DashStrings = typeof dashUk;

export const dashEn: DashStrings = {
  presets: {
    today: "Today",
    yesterday: "Yesterday",
    "7d": "7 days",
    "30d": "30 days",
    "90d": "90 days",
    "365d": "365 days",
    this_month: "This month",
    last_month: "Last month",
    this_year: "This year",
    all: "All time",
  },
  custom: "Custom",
  compareOff: "No comparison",
  compareWith: "Compare with",
  compareModes: { previous_period: "previous period", previous_year: "same period last year" },
  updating: "Updating…",
  tabs: {
    sources: "Sources",
    mediums: "Mediums",
    campaigns: "Campaigns",
    content: "Content",
    terms: "Terms",
    landing_pages: "Landing pages",
    referrers: "Referrers",
    devices: "Devices",
    browsers: "Browsers",
    os: "OS",
    geo: "Countries",
  },
  cards: { acquisition: "Traffic sources", pages: "Pages and referrers", tech: "Devices and browsers", geo: "Geography", goals: "Goals (events)" },
  goals: { event: "Event", events: "Events", sessions: "Sessions", visitors: "Visitors", conversion_rate: "Conversion rate" },
  eventTypes: { page_view: "Page view", product_view: "Product view", add_to_cart: "Add to cart", checkout_start: "Checkout", purchase: "Purchase", custom: "Custom event" },
  emptyNoSessions: "No sessions yet. Add the tracker to your site — paste this before </head>:",
  trackerHealth: "Check the tracker",
  emptyRange: "No sessions in this period.",
  showAllTime: "Show all time",
  partial: "partial period",
  hourly: "hourly",
  funnelChart: "Funnel",
  awaitingRate: { one: "order awaiting a rate", few: "orders awaiting a rate", many: "orders awaiting a rate", other: "orders awaiting a rate" },
  awaitingRateHint: "They count in no figure until their day's rate arrives (RATES_URL or npm run utm -- rates import).",
};
