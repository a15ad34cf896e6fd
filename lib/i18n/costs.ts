import type { Locale } from "./pick-locale";

/**
 * Strings of the ad-cost features (SPEC 14–15): the upload with its preview, the spend audit, the
 * campaign map settings and the payback heatmap. Their own file, like tools.ts, so the shared
 * dictionaries change less while several people edit them. Same keys in both languages.
 */
const uk = {
  uploadTitle: "Завантажити витрати на рекламу (CSV)",
  uploadHint: "Щоденний звіт кампаній Google Ads, Meta Ads Manager або TikTok Ads Manager, або CSV з колонками date, utm_source, utm_campaign, amount",
  preview: "Переглянути",
  importNow: "Імпортувати",
  cancel: "Скасувати",
  source: "Джерело (utm_source)",
  sourceHint: "порожньо — google / facebook / tiktok",
  rate: "Курс",
  rateHint: "{app} за 1 одиницю валюти файлу",
  format: "Формат",
  formats: { "google-ads": "Google Ads", meta: "Meta Ads Manager", tiktok: "TikTok Ads Manager", generic: "CSV (date, utm_source, utm_campaign, amount)", json: "JSON" } as Record<string, string>,
  rows: "Рядків",
  span: "Дні",
  total: "Сума",
  currency: "Валюта",
  added: "Нових",
  replaced: "Замінено",
  skipped: "Пропущено",
  line: "рядок",
  imported: "Імпортовано",
  // audit
  auditTitle: "Перевірка витрат",
  auditHint: "Кампанії з витратами без жодної сесії (помилка в UTM-мітках) і платні сесії без витрат.",
  spendNoSessions: "Витрати без сесій",
  paidNoSpend: "Платні сесії без витрат",
  auditClean: "Розбіжностей немає",
  // campaign map
  mapTitle: "Зіставлення кампаній",
  mapHint: "Назва кампанії в рекламному кабінеті → utm_campaign, під яким рахуються її витрати. Зміни одразу застосовуються до вже завантажених витрат.",
  platformCampaign: "Кампанія в кабінеті",
  utmCampaign: "utm_campaign",
  addRow: "Додати рядок",
  remove: "Прибрати",
  save: "Зберегти",
  saved: "Збережено; витрат переназначено",
  // payback
  paidBack: "окупилося",
  paybackHint: "ROAS когорти: накопичений дохід / витрати в періоді когорти; рамка — перший період, коли ROAS ≥ 1.",
};

const en: typeof uk = {
  uploadTitle: "Upload ad spend (CSV)",
  uploadHint: "A daily campaign export of Google Ads, Meta Ads Manager or TikTok Ads Manager, or a CSV with date, utm_source, utm_campaign, amount",
  preview: "Preview",
  importNow: "Import",
  cancel: "Cancel",
  source: "Source (utm_source)",
  sourceHint: "empty — google / facebook / tiktok",
  rate: "Rate",
  rateHint: "{app} per 1 unit of the file's currency",
  format: "Format",
  formats: { "google-ads": "Google Ads", meta: "Meta Ads Manager", tiktok: "TikTok Ads Manager", generic: "CSV (date, utm_source, utm_campaign, amount)", json: "JSON" },
  rows: "Rows",
  span: "Days",
  total: "Total",
  currency: "Currency",
  added: "New",
  replaced: "Replaced",
  skipped: "Skipped",
  line: "line",
  imported: "Imported",
  auditTitle: "Spend audit",
  auditHint: "Campaigns with spend but no tracked session (a tagging mistake) and paid sessions without spend.",
  spendNoSessions: "Spend without sessions",
  paidNoSpend: "Paid sessions without spend",
  auditClean: "Nothing to fix",
  mapTitle: "Campaign mapping",
  mapHint: "A campaign's name in the ad platform → the utm_campaign its spend counts under. Changes apply to the spend already loaded at once.",
  platformCampaign: "Platform campaign",
  utmCampaign: "utm_campaign",
  addRow: "Add a row",
  remove: "Remove",
  save: "Save",
  saved: "Saved; spend rows re-mapped",
  paidBack: "paid back",
  paybackHint: "Cohort ROAS: cumulative revenue / spend dated in the cohort's period; the outlined cell is the first where ROAS ≥ 1.",
};

export type CostStrings = typeof uk;
const DICTS: Record<Locale, CostStrings> = { uk, en };
export const costStrings = (locale: Locale): CostStrings => DICTS[locale];
