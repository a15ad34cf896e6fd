/**
 * The words only the e-mail report has (SPEC 7): the `report` area of the one dictionary (uk.ts,
 * en.ts). Everything the e-mail shares with the dashboard (metric, dimension and funnel-step
 * names, block titles, repeat-purchase cards, attribution models, "Total", "No data",
 * "vs previous period") is read from the core dictionary, so the two can never disagree.
 * `{name}` placeholders are filled with `fill` (format.ts); the HTML, the plain text and the
 * subject all read from here. Same keys in both languages (the type checks it).
 */
export const emailUk = {
  subject: "UTM-звіт за {period}: {range}",
  title: "UTM-звіт за {period}",
  preview: "{range}: {sessions} сесій, дохід {revenue}",
  /** The report period as it reads after «за» / "for the". */
  periodName: { day: "день", week: "тиждень", month: "місяць" },
  comparedWith: "Порівняно з {range}",
  /** Sections whose content differs from the dashboard block of the same subject (top N, winners only). */
  sections: {
    sources: "Топ джерел",
    campaigns: "Топ кампаній",
    ab: "A/B-тести зі значущим переможцем",
    byModel: "Дохід топ-джерел за моделями атрибуції",
  },
  step: "Крок",
  abNone: "Немає тестів зі значущим результатом",
  openDashboard: "Відкрити в дашборді",
  attachmentsNote: "Повні таблиці джерел, кампаній і LTV — у вкладених CSV-файлах.",
  footer: "Часовий пояс: {tz}. Сформовано {at}. UTM Dispatcher.",
};

export type EmailStrings = typeof emailUk;

export const emailEn: EmailStrings = {
  subject: "UTM report for the {period}: {range}",
  title: "UTM report for the {period}",
  preview: "{range}: {sessions} sessions, {revenue} revenue",
  periodName: { day: "day", week: "week", month: "month" },
  comparedWith: "Compared with {range}",
  sections: {
    sources: "Top sources",
    campaigns: "Top campaigns",
    ab: "A/B tests with a significant winner",
    byModel: "Top sources' revenue by attribution model",
  },
  step: "Step",
  abNone: "No test has a significant result",
  openDashboard: "Open in the dashboard",
  attachmentsNote: "The full source, campaign and LTV tables are attached as CSV files.",
  footer: "Time zone: {tz}. Generated {at}. UTM Dispatcher.",
};
