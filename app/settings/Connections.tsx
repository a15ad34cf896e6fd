import type { ReactNode } from "react";
import { CopyButton } from "@/app/dispatcher/client/CopyButton";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import type { Locale } from "@/lib/i18n/pick-locale";
import { getI18n } from "@/lib/http/locale";
import { webhookHealth, type Platform, type WebhookHealth } from "@/lib/integrations/deliveries";
import { customPixelCode } from "@/lib/integrations/shopify-pixel";
import { SHOPIFY_TOPICS } from "@/lib/integrations/shopify/webhooks";
import { trackerSnippet } from "@/lib/tracker/snippet";

/**
 * Settings › Connections (SPEC 17): for Shopify, WooCommerce and Google Tag Manager, the exact
 * things to paste on the shop's side (pixel code, webhook URL, which secret), and whether the
 * webhooks arrive: the last delivery received, counts by topic over 30 days and the last error
 * (lib/integrations/deliveries.ts). Secrets are settings (SHOPIFY_WEBHOOK_SECRET,
 * WOO_WEBHOOK_SECRET); the page says whether each is set and shows admins only its last 4 characters.
 */

const WOO_TOPICS = ["order.created", "order.updated", "order.deleted", "order.restored"] as const;

type Strings = {
  title: string;
  intro: string;
  publicUrl: string;
  copy: string;
  copied: string;
  shopify: string;
  woo: string;
  gtm: string;
  step: (n: number) => string;
  pixelHow: string;
  webhooksHow: string;
  shopifySecretHow: string;
  backfillHow: string;
  wooHow: string;
  wooSecretHow: string;
  wooTracker: string;
  gtmHow: string;
  gtmSnippet: string;
  url: string;
  topics: string;
  secret: string;
  secretSet: (tail: string) => string;
  secretMissing: (name: string) => string;
  lastDelivery: string;
  never: string;
  byTopic: string;
  lastError: string;
  none: string;
  outcomes: Record<"stored" | "ignored" | "failed" | "duplicate", string>;
  showCode: string;
};

const STRINGS: Record<Locale, Strings> = {
  uk: {
    title: "Підключення магазину",
    intro: "Що вставити на боці магазину, щоб візити й замовлення надходили без коду.",
    publicUrl: "Адреса застосунку, яку бачить магазин (APP_URL)",
    copy: "Копіювати",
    copied: "Скопійовано",
    shopify: "Shopify",
    woo: "WooCommerce",
    gtm: "Google Tag Manager",
    step: (n) => `Крок ${n}`,
    pixelHow: "Shopify admin › Settings › Customer events › Add custom pixel: вставте цей код, збережіть і натисніть Connect.",
    webhooksHow: "Shopify admin › Settings › Notifications › Webhooks › Create webhook: формат JSON, ця адреса, для кожної теми нижче.",
    shopifySecretHow: "Ключ підпису, який Shopify показує під списком вебхуків, задайте як SHOPIFY_WEBHOOK_SECRET.",
    backfillHow: "Минулі замовлення (Admin API token з read_orders):",
    wooHow: "WooCommerce › Settings › Advanced › Webhooks › Add webhook: статус Active, ця адреса доставки, API v3, для кожної теми нижче.",
    wooSecretHow: "У поле Secret вставте значення WOO_WEBHOOK_SECRET.",
    wooTracker: "Трекер у темі (сторінку «Замовлення отримано» він розпізнає сам):",
    gtmHow: "Tag Manager › Templates › Tag templates › New › Import: файл integrations/gtm/template.tpl; тег з цією адресою застосунку, тригер All Pages. Події GA4 e-commerce з dataLayer (view_item, add_to_cart, begin_checkout, purchase) стають кроками воронки.",
    gtmSnippet: "Без GTM: той самий трекер з атрибутом data-datalayer.",
    url: "Адреса",
    topics: "Теми",
    secret: "Секрет",
    secretSet: (tail) => (tail ? `задано (…${tail})` : "задано"),
    secretMissing: (name) => `не задано: задайте ${name}, інакше вебхуки отримують 503`,
    lastDelivery: "Остання доставка",
    never: "ще не було",
    byTopic: "За 30 днів за темами",
    lastError: "Остання помилка",
    none: "немає",
    outcomes: { stored: "збережено", ignored: "пропущено", failed: "помилки", duplicate: "повтори" },
    showCode: "Показати код",
  },
  en: {
    title: "Connect your shop",
    intro: "What to paste on the shop's side so visits and orders arrive without writing code.",
    publicUrl: "The app's address as the shop sees it (APP_URL)",
    copy: "Copy",
    copied: "Copied",
    shopify: "Shopify",
    woo: "WooCommerce",
    gtm: "Google Tag Manager",
    step: (n) => `Step ${n}`,
    pixelHow: "Shopify admin › Settings › Customer events › Add custom pixel: paste this code, save, then Connect.",
    webhooksHow: "Shopify admin › Settings › Notifications › Webhooks › Create webhook: format JSON, this URL, once per topic below.",
    shopifySecretHow: "Set the signing key Shopify shows under the webhook list as SHOPIFY_WEBHOOK_SECRET.",
    backfillHow: "Past orders (an Admin API token with read_orders):",
    wooHow: "WooCommerce › Settings › Advanced › Webhooks › Add webhook: status Active, this delivery URL, API v3, once per topic below.",
    wooSecretHow: "Put the value of WOO_WEBHOOK_SECRET in its Secret field.",
    wooTracker: "The tracker in the theme (it recognises the order-received page by itself):",
    gtmHow: "Tag Manager › Templates › Tag templates › New › Import: integrations/gtm/template.tpl; a tag with this app URL, trigger All Pages. GA4 e-commerce events in the dataLayer (view_item, add_to_cart, begin_checkout, purchase) become funnel steps.",
    gtmSnippet: "Without GTM: the same tracker with the data-datalayer attribute.",
    url: "URL",
    topics: "Topics",
    secret: "Secret",
    secretSet: (tail) => (tail ? `set (…${tail})` : "set"),
    secretMissing: (name) => `not set: set ${name}, until then webhooks are answered 503`,
    lastDelivery: "Last delivery",
    never: "none yet",
    byTopic: "Last 30 days by topic",
    lastError: "Last error",
    none: "none",
    outcomes: { stored: "stored", ignored: "ignored", failed: "failed", duplicate: "repeats" },
    showCode: "Show the code",
  },
};

function Code({ text, testId, s }: { text: string; testId: string; s: Strings }) {
  return (
    <div className="space-y-2">
      <pre data-testid={testId} className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-slate-900 p-3 text-xs text-slate-100">
        {text}
      </pre>
      <CopyButton text={text} label={s.copy} done={s.copied} />
    </div>
  );
}

function Step({ n, s, children }: { n: number; s: Strings; children: ReactNode }) {
  return (
    <li className="space-y-2">
      <div className="text-xs font-semibold uppercase tracking-wide text-indigo-700">{s.step(n)}</div>
      {children}
    </li>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 text-sm sm:flex-row sm:gap-3">
      <span className="w-24 shrink-0 text-slate-500">{label}</span>
      <span className="min-w-0 break-all">{children}</span>
    </div>
  );
}

function SecretStatus({ value, name, s, admin }: { value: string | undefined; name: string; s: Strings; admin: boolean }) {
  return value ? (
    <span className="text-emerald-700" data-testid={`secret-${name}`}>{s.secretSet(admin ? value.slice(-4) : "")}</span>
  ) : (
    <span className="text-amber-700" data-testid={`secret-${name}`}>{s.secretMissing(name)}</span>
  );
}

function Health({ h, s, dateTime, int }: { h: WebhookHealth | undefined; s: Strings; dateTime: (iso: string) => string; int: (n: number) => string }) {
  return (
    <div className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm sm:grid-cols-3" data-testid={`health-${h?.platform ?? "none"}`}>
      <div>
        <div className="text-xs uppercase tracking-wide text-slate-500">{s.lastDelivery}</div>
        <div className="mt-1 font-semibold text-slate-800">{h?.last_received_at ? dateTime(h.last_received_at) : s.never}</div>
      </div>
      <div>
        <div className="text-xs uppercase tracking-wide text-slate-500">{s.byTopic}</div>
        {h && h.by_topic.length ? (
          <ul className="mt-1 space-y-0.5">
            {h.by_topic.map((t) => (
              <li key={t.topic} className="flex flex-wrap justify-between gap-x-2">
                <code className="text-xs">{t.topic}</code>
                <span className="tabular-nums text-slate-700">
                  {(["stored", "ignored", "failed", "duplicate"] as const)
                    .filter((k) => t[k] > 0)
                    .map((k) => `${int(t[k])} ${s.outcomes[k]}`)
                    .join(" · ")}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <div className="mt-1 text-slate-400">{s.none}</div>
        )}
      </div>
      <div>
        <div className="text-xs uppercase tracking-wide text-slate-500">{s.lastError}</div>
        {h?.last_error ? (
          <div className="mt-1 text-red-700">
            {dateTime(h.last_error.at)} · <code className="text-xs">{h.last_error.topic}</code>
            <div className="break-words text-xs">{h.last_error.error}</div>
          </div>
        ) : (
          <div className="mt-1 text-slate-400">{s.none}</div>
        )}
      </div>
    </div>
  );
}

export async function Connections({ admin }: { admin: boolean }) {
  const [db, { locale, fmt }] = await Promise.all([getDb(), getI18n()]);
  const cfg = config();
  const s = STRINGS[locale];
  const health = await webhookHealth(db);
  const of = (p: Platform) => health.find((h) => h.platform === p);
  const app = cfg.appUrl;
  const snippet = trackerSnippet(app);
  const datalayerSnippet = `<script async src="${app}/t.js" data-datalayer></script>`;
  const platformHeading = (title: string) => <h3 className="text-sm font-semibold text-slate-800">{title}</h3>;
  const dateTime = (iso: string) => fmt.dateTime(iso);
  const int = (n: number) => fmt.int(n);

  return (
    <section id="connections" aria-labelledby="connections-title" className="space-y-5 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <div>
        <h2 id="connections-title" className="text-base font-semibold text-slate-800">
          {s.title}
        </h2>
        <p className="mt-1 text-sm text-slate-500">{s.intro}</p>
        <p className="mt-2 text-sm">
          <span className="text-slate-500">{s.publicUrl}: </span>
          <code data-testid="connections-app-url">{app}</code>
        </p>
      </div>

      <div className="space-y-3 border-t border-slate-100 pt-4" data-testid="connect-shopify">
        {platformHeading(s.shopify)}
        <ol className="space-y-4">
          <Step n={1} s={s}>
            <p className="text-sm text-slate-700">{s.pixelHow}</p>
            <details>
              <summary className="cursor-pointer text-sm text-indigo-700">{s.showCode}</summary>
              <div className="mt-2">
                <Code text={customPixelCode(app)} testId="shopify-pixel-code" s={s} />
              </div>
            </details>
          </Step>
          <Step n={2} s={s}>
            <p className="text-sm text-slate-700">{s.webhooksHow}</p>
            <Field label={s.url}>
              <code data-testid="shopify-webhook-url">{`${app}/api/integrations/shopify/webhooks`}</code>
            </Field>
            <Field label={s.topics}>
              <code className="text-xs">{SHOPIFY_TOPICS.join(", ")}</code>
            </Field>
            <Field label={s.secret}>
              <SecretStatus value={cfg.shopifyWebhookSecret} name="SHOPIFY_WEBHOOK_SECRET" s={s} admin={admin} />
            </Field>
            <p className="text-xs text-slate-500">{s.shopifySecretHow}</p>
          </Step>
          <Step n={3} s={s}>
            <p className="text-sm text-slate-700">{s.backfillHow}</p>
            <Code text="npm run utm -- shopify backfill --shop your-shop.myshopify.com --token shpat_… [--since 2026-01-01]" testId="shopify-backfill" s={s} />
          </Step>
        </ol>
        <Health h={of("shopify")} s={s} dateTime={dateTime} int={int} />
      </div>

      <div className="space-y-3 border-t border-slate-100 pt-4" data-testid="connect-woocommerce">
        {platformHeading(s.woo)}
        <ol className="space-y-4">
          <Step n={1} s={s}>
            <p className="text-sm text-slate-700">{s.wooTracker}</p>
            <Code text={snippet} testId="woo-tracker" s={s} />
          </Step>
          <Step n={2} s={s}>
            <p className="text-sm text-slate-700">{s.wooHow}</p>
            <Field label={s.url}>
              <code data-testid="woo-webhook-url">{`${app}/api/integrations/woocommerce/webhooks`}</code>
            </Field>
            <Field label={s.topics}>
              <code className="text-xs">{WOO_TOPICS.join(", ")}</code>
            </Field>
            <Field label={s.secret}>
              <SecretStatus value={cfg.wooWebhookSecret} name="WOO_WEBHOOK_SECRET" s={s} admin={admin} />
            </Field>
            <p className="text-xs text-slate-500">{s.wooSecretHow}</p>
          </Step>
        </ol>
        <Health h={of("woocommerce")} s={s} dateTime={dateTime} int={int} />
      </div>

      <div className="space-y-3 border-t border-slate-100 pt-4" data-testid="connect-gtm">
        {platformHeading(s.gtm)}
        <p className="text-sm text-slate-700">{s.gtmHow}</p>
        <p className="text-sm text-slate-700">{s.gtmSnippet}</p>
        <Code text={datalayerSnippet} testId="gtm-datalayer-snippet" s={s} />
      </div>
    </section>
  );
}
