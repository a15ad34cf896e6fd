import type { Locale } from "@/lib/i18n/pick-locale";
import type { DatePreset } from "./presets";

/**
 * Strings of the dashboard's tool controls (presets, compare modes, tabs, pending and empty
 * states, charts), kept beside the dashboard so the shared dictionaries in lib/i18n change less
 * while several people edit them. Same keys in both languages (the type checks it).
 */
const uk = {
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
  } satisfies Record<DatePreset, string>,
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
  copy: "Копіювати",
  copied: "Скопійовано",
};

export type DashStrings = typeof uk;

const en: DashStrings = {
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
  copy: "Copy",
  copied: "Copied",
};

const STRINGS: Record<Locale, DashStrings> = { uk, en };
export const dashStrings = (locale: Locale): DashStrings => STRINGS[locale];
