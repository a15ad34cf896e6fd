/**
 * Settings › Conversions to ad platforms (SPEC 19): the texts of app/settings/Forwarding*.tsx,
 * its own file like costs.ts and tools.ts. Same keys in both languages (the type checks it).
 */
export type ForwardingStrings = {
  title: string;
  intro: string;
  consentOn: string;
  consentOff: string;
  destinations: Record<"meta" | "google" | "tiktok", string>;
  destination: string;
  state: string;
  notConfigured: string;
  enabled: string;
  paused: string;
  queued: string;
  sent: string;
  failed: string;
  skipped: string;
  lastError: string;
  lastSent: string;
  never: string;
  none: string;
  secretSet: (hint: string) => string;
  secretUnreadable: string;
  secretKeep: string;
  fields: Record<"pixel_id" | "access_token" | "test_event_code" | "customer_id" | "conversion_action" | "login_customer_id" | "service_account_key" | "pixel_code", string>;
  enabledLabel: string;
  save: string;
  saved: string;
  remove: string;
  removeConfirm: string;
  sendTest: string;
  testOk: string;
  testFailed: string;
  adminOnly: string;
};

export const forwardingUk: ForwardingStrings = {
  title: "Конверсії в рекламні платформи",
  intro: "Оплачені замовлення надсилаються в Meta, Google Ads і TikTok із надійної черги: повтори до 72 годин, кожне замовлення — один раз.",
  consentOn: "Надсилаються лише замовлення відвідувачів, які дали згоду ad_user_data (FORWARD_REQUIRE_CONSENT=1).",
  consentOff: "Перевірку згоди вимкнено (FORWARD_REQUIRE_CONSENT=0): надсилаються всі оплачені замовлення.",
  destinations: { meta: "Meta Conversions API", google: "Google Ads (Data Manager API)", tiktok: "TikTok Events API" },
  destination: "Платформа",
  state: "Стан",
  notConfigured: "не налаштовано",
  enabled: "увімкнено",
  paused: "призупинено",
  queued: "У черзі",
  sent: "Надіслано",
  failed: "Помилки",
  skipped: "Пропущено",
  lastError: "Остання помилка",
  lastSent: "Востаннє надіслано",
  never: "ніколи",
  none: "—",
  secretSet: (hint) => `збережено, закінчується на ${hint}`,
  secretUnreadable: "збережений секрет не читається (змінився AUTH_SECRET): збережіть його ще раз",
  secretKeep: "порожньо — залишити збережений",
  fields: {
    pixel_id: "ID пікселя",
    access_token: "Токен доступу",
    test_event_code: "Код тестової події (test_event_code)",
    customer_id: "ID клієнта Google Ads",
    conversion_action: "ID дії-конверсії",
    login_customer_id: "ID керуючого акаунта (необов’язково)",
    service_account_key: "Ключ сервісного акаунта (JSON)",
    pixel_code: "Код пікселя",
  },
  enabledLabel: "Надсилати",
  save: "Зберегти",
  saved: "Збережено",
  remove: "Видалити",
  removeConfirm: "Видалити налаштування платформи? Події в черзі буде пропущено.",
  sendTest: "Надіслати тестову подію",
  testOk: "Тестову подію прийнято",
  testFailed: "Тестову подію відхилено",
  adminOnly: "Змінювати налаштування можуть лише адміністратори.",
};

export const forwardingEn: ForwardingStrings = {
  title: "Conversions to ad platforms",
  intro: "Paid orders go to Meta, Google Ads and TikTok from a durable queue: retried for up to 72 hours, each order sent once.",
  consentOn: "Only orders of visitors who granted ad_user_data are sent (FORWARD_REQUIRE_CONSENT=1).",
  consentOff: "The consent check is off (FORWARD_REQUIRE_CONSENT=0): every paid order is sent.",
  destinations: { meta: "Meta Conversions API", google: "Google Ads (Data Manager API)", tiktok: "TikTok Events API" },
  destination: "Platform",
  state: "State",
  notConfigured: "not configured",
  enabled: "on",
  paused: "paused",
  queued: "Queued",
  sent: "Sent",
  failed: "Failed",
  skipped: "Skipped",
  lastError: "Last error",
  lastSent: "Last sent",
  never: "never",
  none: "—",
  secretSet: (hint) => `set, ends ${hint}`,
  secretUnreadable: "the saved secret cannot be read (AUTH_SECRET changed): save it again",
  secretKeep: "empty keeps the saved one",
  fields: {
    pixel_id: "Pixel ID",
    access_token: "Access token",
    test_event_code: "Test event code (test_event_code)",
    customer_id: "Google Ads customer ID",
    conversion_action: "Conversion action ID",
    login_customer_id: "Manager account ID (optional)",
    service_account_key: "Service-account key (JSON)",
    pixel_code: "Pixel code",
  },
  enabledLabel: "Send",
  save: "Save",
  saved: "Saved",
  remove: "Remove",
  removeConfirm: "Remove this platform's settings? Queued events will be skipped.",
  sendTest: "Send a test event",
  testOk: "Test event accepted",
  testFailed: "Test event refused",
  adminOnly: "Only admins can change these settings.",
};

export const FORWARDING_STRINGS = { uk: forwardingUk, en: forwardingEn } as const;
