import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { isCurrencyCode } from "./currency";

/**
 * The one place environment variables are read (SPEC 1). Everything else imports `config()`.
 * A wrong value throws ConfigError naming the variable, so the app refuses to start instead of
 * misbehaving later.
 * Size: over 300 lines on purpose: it is the one place environment variables are read and validated
 * (one zod schema, one error per variable); splitting it would bring back a second place.
 */

export class ConfigError extends Error {
  constructor(
    public readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isCurrency = isCurrencyCode;

const splitList = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** An IPv4/IPv6 address, or one with a /prefix (CIDR). */
export function isIpOrCidr(entry: string): boolean {
  const [addr, prefix, ...rest] = entry.split("/");
  const v = isIP(addr);
  if (!v || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (v === 4 ? 32 : 128);
}

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const envSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
      .optional(),
  ),
  DATABASE_READ_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  APP_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z.string().default("UTC").refine(isTimeZone, "must be an IANA time zone such as Europe/Kyiv"),
  ),
  APP_CURRENCY: z.preprocess(
    emptyToUndefined,
    z.string().default("UAH").refine(isCurrency, "must be an ISO 4217 currency code such as UAH"),
  ),
  ATTRIBUTION_WINDOW_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int("must be a whole number of days").min(1).max(365).default(30),
  ),
  // SPEC 18 profit (docs/money.md): payment fees per order and the margin of orders without a cost.
  PAYMENT_FEE_PCT: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be a percentage 0-100" }).min(0, "must be a percentage 0-100").max(100, "must be a percentage 0-100").default(0)),
  PAYMENT_FEE_FIXED: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be an amount of at least 0" }).min(0, "must be an amount of at least 0").max(1e6, "must be at most 1000000").default(0)),
  DEFAULT_MARGIN_PCT: z.preprocess(emptyToUndefined, z.coerce.number({ error: "must be a percentage 0-100" }).min(0, "must be a percentage 0-100").max(100, "must be a percentage 0-100").optional()),
  AUTH_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email("must be an e-mail address").optional()),
  ADMIN_PASSWORD: z.preprocess(
    emptyToUndefined,
    z.string().min(8, "must be at least 8 characters").optional(),
  ),
  CRON_SECRET: optionalString,
  RATES_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  RESEND_API_KEY: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^re_[A-Za-z0-9_]+$/, "must look like re_xxxxxxxx").optional(),
  ),
  RESEND_BASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  REPORT_FROM: optionalString,
  REPORT_RECIPIENTS: optionalString,
  // Unset: the running app's URL, else http://localhost:$PORT (appUrlDefault below).
  APP_URL: z.preprocess(emptyToUndefined, z.url("must be an absolute URL").optional()),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int("must be a port number").min(1).max(65_535).optional()),
  // SPEC 21: the longest a statement may run (APP_STATEMENT_TIMEOUT_MS is the former name, still read).
  STATEMENT_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int("must be a whole number of milliseconds").min(100).max(600_000).optional()),
  APP_STATEMENT_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int("must be a whole number of milliseconds").min(100).max(600_000).optional()),
  DEMO_DATA: z.preprocess(emptyToUndefined, z.enum(["0", "1"]).default("0")),
  ALLOWED_ORIGINS: z.preprocess(emptyToUndefined, z.string().default("*")),
  TRUSTED_PROXIES: z.preprocess(
    emptyToUndefined,
    z.string().default("").refine((v) => splitList(v).every(isIpOrCidr), "must be a comma list of IP addresses or CIDR ranges such as 10.0.0.0/8"),
  ),
  VERCEL: optionalString,
  // SPEC 17.1, 17.2: shop webhooks and the Shopify backfill (lib/integrations).
  SHOPIFY_WEBHOOK_SECRET: optionalString,
  SHOPIFY_SHOP_DOMAINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .refine(
        (v) => splitList(v).every((d) => /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i.test(d)),
        "must be a comma list of shop domains such as my-shop.myshopify.com",
      ),
  ),
  SHOPIFY_API_BASE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("https://{shop}")
      .refine((v) => /^https?:\/\/\S+$/.test(v), "must be an http(s) URL, {shop} standing for the shop's domain"),
  ),
  SHOPIFY_API_VERSION: z.preprocess(
    emptyToUndefined,
    z.string().default("2025-10").refine((v) => /^\d{4}-\d{2}$/.test(v), "must be a Shopify API version such as 2025-10"),
  ),
  WOO_WEBHOOK_SECRET: optionalString,
  // SPEC 19: conversions back to the ad platforms (lib/forwarding, docs/forwarding.md).
  META_GRAPH_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://graph.facebook.com/v24.0")),
  GOOGLE_DATAMANAGER_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://datamanager.googleapis.com/v1")),
  GOOGLE_TOKEN_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://oauth2.googleapis.com/token")),
  TIKTOK_API_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://business-api.tiktok.com/open_api/v1.3")),
  FORWARD_REQUIRE_CONSENT: z.preprocess(emptyToUndefined, z.enum(["0", "1"]).default("1")),
  FORWARD_MAX_AGE_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int("must be a whole number of days").min(1).max(90).default(7)),
  FORWARD_POLL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0, "0 turns the in-process sender off").max(3_600_000).default(1000)),
  FORWARD_BACKOFF_BASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3_600_000).default(30_000)),
  FORWARD_BACKOFF_MAX_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(86_400_000).default(6 * 3_600_000)),
  // SPEC 20 (lib/notify): Telegram's Bot API base, and how long one alert delivery may take.
  TELEGRAM_API_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://api.telegram.org")),
  NOTIFY_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(10_000).default(5000)),
  SHARE_FRAME_ANCESTORS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("'none'")
      .refine((v) => /^[^;,\r\n]+$/.test(v), "must be a CSP source list such as https://shop.example (no ; or ,)"),
  ),
  // SPEC 17.4: the shop's own hosts, never counted as referrers (besides the landing page's domain).
  SITE_HOSTS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .refine(
        (v) => splitList(v).every((h) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(h)),
        "must be a comma list of host names such as shop.example,checkout.shop.example",
      ),
  ),
});

export type AppConfig = {
  databaseUrl: string | undefined;
  /** A read replica for analytics reads (DATABASE_READ_URL); undefined = the primary. */
  databaseReadUrl: string | undefined;
  dataDir: string;
  timezone: string;
  currency: string;
  attributionWindowDays: number;
  /** SPEC 18: a paid order's payment fee = total × paymentFeePct % + paymentFeeFixed (APP_CURRENCY). */
  paymentFeePct: number;
  paymentFeeFixed: number;
  /** SPEC 18: product margin % assumed for orders without a known cost; unset = they stay out of margin. */
  defaultMarginPct: number | undefined;
  authSecret: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  cronSecret: string | undefined;
  /** Day rates to fetch (SPEC 17.5): the NBU's JSON API or the ECB's eurofxref XML; undefined = none. */
  ratesUrl: string | undefined;
  resendApiKey: string | undefined;
  resendBaseUrl: string | undefined;
  reportFrom: string | undefined;
  reportRecipients: string[];
  appUrl: string;
  /** SPEC 21: no statement (and no report's refresh of day cells) runs longer than this (ms). */
  statementTimeoutMs: number;
  demoData: boolean;
  allowedOrigins: "*" | string[];
  /** Proxies whose X-Forwarded-For / X-Real-IP are believed (IPs or CIDRs; SPEC 16). */
  trustedProxies: string[];
  /** Running on Vercel (VERCEL=1): its x-forwarded-for is the client address. */
  onVercel: boolean;
  /** CSP frame-ancestors of share views (/share/...); "'none'" by default (SPEC 16). */
  shareFrameAncestors: string;
  /** SPEC 17.4: the shop's own hosts (lower-case); a referrer on one of them or a subdomain is no referrer. */
  siteHosts: string[];
  /** SPEC 17.1: the secret Shopify signs webhooks with; undefined = the Shopify webhook route answers 503. */
  shopifyWebhookSecret: string | undefined;
  /** Shops whose webhooks are accepted (lower-case domains); empty = any shop that signs with the secret. */
  shopifyShopDomains: string[];
  /** Base URL of the Admin API, `{shop}` standing for the shop's domain (tests point it at a local server). */
  shopifyApiBase: string;
  shopifyApiVersion: string;
  /** SPEC 17.2: the WooCommerce webhooks' secret; undefined = the WooCommerce webhook route answers 503. */
  wooWebhookSecret: string | undefined;
  /** SPEC 19 (docs/forwarding.md): platform base URLs and the outbox sender's timing. */
  forwarding: {
    metaGraphUrl: string;
    googleDataManagerUrl: string;
    googleTokenUrl: string;
    tiktokApiUrl: string;
    /** Forward an order only when its visitor granted ad_user_data (FORWARD_REQUIRE_CONSENT=0: always). */
    requireConsent: boolean;
    /** Orders placed longer ago than this are not queued (Meta refuses events older than 7 days). */
    maxAgeDays: number;
    /** How often the in-process sender looks for due rows; 0 = no in-process sender (cron only). */
    pollMs: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
  };
  /** SPEC 20: Telegram Bot API base URL (tests point it at a local server). */
  telegramApiUrl: string;
  /** SPEC 20: the timeout of one alert/report delivery to Slack, Telegram or a webhook (ms). */
  notifyTimeoutMs: number;
};

/** Where `npm start`/`npm run dev` note the URL they serve (CLI e-mails link to the running app). */
export const APP_SERVER_FILE = "app.server.json";

/**
 * APP_URL when unset: http://localhost:$PORT when PORT is set, else the URL the running app noted
 * in DATA_DIR (its process still alive), else http://localhost:3000 — so links in e-mails sent
 * by the CLI or cron point at the port the app really runs on.
 */
function appUrlDefault(port: number | undefined, dataDir: string): string {
  if (port !== undefined) return `http://localhost:${port}`;
  try {
    const noted = JSON.parse(readFileSync(path.join(dataDir, APP_SERVER_FILE), "utf8")) as { pid?: unknown; url?: unknown };
    if (typeof noted.pid === "number" && typeof noted.url === "string" && /^https?:\/\/[^\s]+$/.test(noted.url)) {
      process.kill(noted.pid, 0); // throws when that process is gone
      return noted.url;
    }
  } catch {
    /* no running app noted */
  }
  return "http://localhost:3000";
}

/** The AUTH_SECRET fallback: generated once into the data directory, for local use only. */
function localAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

export function parseConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      e.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL",
      "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
    );
  }
  if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
    throw new ConfigError("DATABASE_READ_URL", "needs DATABASE_URL: a read replica is a replica of a PostgreSQL primary");
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const origins = e.ALLOWED_ORIGINS.trim();
  return {
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    dataDir,
    timezone: e.APP_TIMEZONE,
    currency: e.APP_CURRENCY,
    attributionWindowDays: e.ATTRIBUTION_WINDOW_DAYS,
    paymentFeePct: e.PAYMENT_FEE_PCT,
    paymentFeeFixed: e.PAYMENT_FEE_FIXED,
    defaultMarginPct: e.DEFAULT_MARGIN_PCT,
    authSecret: e.AUTH_SECRET ?? localAuthSecret(dataDir),
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    cronSecret: e.CRON_SECRET,
    ratesUrl: e.RATES_URL,
    resendApiKey: e.RESEND_API_KEY,
    resendBaseUrl: e.RESEND_BASE_URL,
    reportFrom: e.REPORT_FROM,
    reportRecipients: (e.REPORT_RECIPIENTS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    appUrl: (e.APP_URL ?? appUrlDefault(e.PORT, dataDir)).replace(/\/$/, ""),
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS ?? e.APP_STATEMENT_TIMEOUT_MS ?? 10_000,
    demoData: e.DEMO_DATA === "1",
    allowedOrigins:
      origins === "*"
        ? "*"
        : origins
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
    trustedProxies: splitList(e.TRUSTED_PROXIES),
    onVercel: e.VERCEL === "1",
    shareFrameAncestors: e.SHARE_FRAME_ANCESTORS.trim(),
    siteHosts: splitList(e.SITE_HOSTS).map((h) => h.toLowerCase()),
    shopifyWebhookSecret: e.SHOPIFY_WEBHOOK_SECRET,
    shopifyShopDomains: splitList(e.SHOPIFY_SHOP_DOMAINS).map((d) => d.toLowerCase()),
    shopifyApiBase: e.SHOPIFY_API_BASE.replace(/\/+$/, ""),
    shopifyApiVersion: e.SHOPIFY_API_VERSION,
    wooWebhookSecret: e.WOO_WEBHOOK_SECRET,
    forwarding: {
      metaGraphUrl: e.META_GRAPH_URL.replace(/\/+$/, ""),
      googleDataManagerUrl: e.GOOGLE_DATAMANAGER_URL.replace(/\/+$/, ""),
      googleTokenUrl: e.GOOGLE_TOKEN_URL,
      tiktokApiUrl: e.TIKTOK_API_URL.replace(/\/+$/, ""),
      requireConsent: e.FORWARD_REQUIRE_CONSENT === "1",
      maxAgeDays: e.FORWARD_MAX_AGE_DAYS,
      pollMs: e.FORWARD_POLL_MS,
      backoffBaseMs: e.FORWARD_BACKOFF_BASE_MS,
      backoffMaxMs: e.FORWARD_BACKOFF_MAX_MS,
    },
    telegramApiUrl: e.TELEGRAM_API_URL.replace(/\/+$/, ""),
    notifyTimeoutMs: e.NOTIFY_TIMEOUT_MS,
  };
}

let cached: AppConfig | undefined;

/** The environment variables config() reads, by name. */
export type ConfigEnv = { [K in keyof z.input<typeof envSchema>]?: string | undefined };

/** Variables laid over process.env by config(), set only by overrideConfig (tests). */
let overrides: ConfigEnv | undefined;

/** Under Vitest (or NODE_ENV=test): the only time overrideConfig is allowed and honoured. */
const testing = () => process.env.VITEST !== undefined || process.env.NODE_ENV === "test";

/** The validated configuration of this process (read once). Tests may call resetConfig(). */
export function config(): AppConfig {
  cached ??= parseConfig(overrides && testing() ? ({ ...process.env, ...overrides } as NodeJS.ProcessEnv) : process.env);
  return cached;
}

export function resetConfig(): void {
  cached = undefined;
}

/**
 * Tests only: config() answers as if these variables were set (undefined = unset) on top of the
 * real environment, without writing process.env. Returns restore(), which puts back the layer
 * below (overrides nest; restore them last-in, first-out). Throws outside a test run.
 */
export function overrideConfig(env: ConfigEnv): () => void {
  if (!testing()) throw new Error("overrideConfig is for tests (VITEST or NODE_ENV=test)");
  const below = overrides;
  overrides = { ...below, ...env };
  cached = undefined;
  return () => {
    overrides = below;
    cached = undefined;
  };
}
