import type { AlertCondition, AlertMetric, ChannelKind } from "@/lib/alerts/vocabulary";

/**
 * Settings › Alerts (SPEC 20): the texts of app/settings/Alerts*.tsx, in its own file like
 * forwarding.ts. Same keys in both languages (the type checks it).
 */
export type AlertsStrings = {
  title: string;
  intro: string;
  rules: string;
  channels: string;
  reports: string;
  incidents: string;
  name: string;
  metric: string;
  metrics: Record<AlertMetric, string>;
  condition: string;
  conditions: Record<AlertCondition, string>;
  threshold: string;
  windowHours: string;
  filters: string;
  filtersHint: string;
  sendTo: string;
  kind: string;
  kinds: Record<ChannelKind, string>;
  target: string;
  targetHints: Record<ChannelKind, string>;
  secret: string;
  secretHints: Record<ChannelKind, string>;
  secretSet: string;
  secretOnce: string;
  period: string;
  language: string;
  addRule: string;
  addChannel: string;
  addReport: string;
  delete: string;
  opened: string;
  resolved: string;
  open: string;
  none: string;
  adminOnly: string;
  saved: string;
};

const uk: AlertsStrings = {
  title: "Сповіщення",
  intro: "Щогодини правила порівнюють останню годину з тими ж годинами чотирьох попередніх тижнів або з порогом і повідомляють один раз про початок і один раз про завершення інциденту.",
  rules: "Правила",
  channels: "Канали",
  reports: "Звіти в Slack і Telegram",
  incidents: "Останні інциденти",
  name: "Назва",
  metric: "Показник",
  metrics: {
    sessions: "Сесії",
    orders: "Замовлення",
    revenue: "Дохід",
    conversion_rate: "Конверсія",
    tracker_events: "Події трекера за годину",
    direct_share: "Частка прямих заходів",
    spend_without_sessions: "Витрати без сесій",
    forwarding_failures: "Збої передачі конверсій",
  },
  condition: "Умова",
  conditions: { drop: "Падіння щонайменше на, %", rise: "Зростання щонайменше на, %", at_most: "Не більше за", at_least: "Не менше за" },
  threshold: "Поріг",
  windowHours: "Вікно, год",
  filters: "Фільтри",
  filtersHint: "як у посиланні дашборда: utm_source=google&not_country=UA",
  sendTo: "Надсилати в",
  kind: "Тип",
  kinds: { email: "E-mail", slack: "Slack", telegram: "Telegram", webhook: "Вебхук" },
  target: "Адреса",
  targetHints: { email: "ops@shop.example", slack: "https://hooks.slack.com/services/…", telegram: "chat id або @channel", webhook: "https://…" },
  secret: "Секрет",
  secretHints: { email: "", slack: "", telegram: "токен бота 123456:ABC…", webhook: "порожньо — згенерувати" },
  secretSet: "задано",
  secretOnce: "Секрет вебхука (показано один раз):",
  period: "Період",
  language: "Мова",
  addRule: "Додати правило",
  addChannel: "Додати канал",
  addReport: "Підписати канал",
  delete: "Видалити",
  opened: "Почався",
  resolved: "Завершився",
  open: "триває",
  none: "Немає",
  adminOnly: "Змінювати сповіщення можуть лише адміністратори.",
  saved: "Збережено",
};

const en: AlertsStrings = {
  title: "Alerts",
  intro: "Every hour the rules compare the last hour with the same hours of the four weeks before, or with a threshold, and notify once when an incident opens and once when it resolves.",
  rules: "Rules",
  channels: "Channels",
  reports: "Reports to Slack and Telegram",
  incidents: "Recent incidents",
  name: "Name",
  metric: "Metric",
  metrics: {
    sessions: "Sessions",
    orders: "Orders",
    revenue: "Revenue",
    conversion_rate: "Conversion rate",
    tracker_events: "Tracker events per hour",
    direct_share: "Share of direct",
    spend_without_sessions: "Spend without sessions",
    forwarding_failures: "Forwarding failures",
  },
  condition: "Condition",
  conditions: { drop: "Drops by at least, %", rise: "Rises by at least, %", at_most: "At most", at_least: "At least" },
  threshold: "Threshold",
  windowHours: "Window, hours",
  filters: "Filters",
  filtersHint: "as in a dashboard link: utm_source=google&not_country=UA",
  sendTo: "Send to",
  kind: "Kind",
  kinds: { email: "E-mail", slack: "Slack", telegram: "Telegram", webhook: "Webhook" },
  target: "Address",
  targetHints: { email: "ops@shop.example", slack: "https://hooks.slack.com/services/…", telegram: "chat id or @channel", webhook: "https://…" },
  secret: "Secret",
  secretHints: { email: "", slack: "", telegram: "bot token 123456:ABC…", webhook: "empty = generate" },
  secretSet: "set",
  secretOnce: "Webhook secret (shown once):",
  period: "Period",
  language: "Language",
  addRule: "Add rule",
  addChannel: "Add channel",
  addReport: "Subscribe channel",
  delete: "Delete",
  opened: "Opened",
  resolved: "Resolved",
  open: "open",
  none: "None",
  adminOnly: "Only admins can change alerts.",
  saved: "Saved",
};

export const ALERTS_STRINGS = { uk, en } as const;
