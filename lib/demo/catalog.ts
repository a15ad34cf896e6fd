/**
 * What the demo shop's traffic looks like: channels with their campaigns, creatives and
 * conversion rates, countries, devices (as real User-Agent strings) and products. Plain data so
 * the shape of the demo is readable in one place.
 */

export const DEMO_HOST = "https://shop.example.ua";

export type Creative = { content: string; weight: number; conversionRate: number };
export type Campaign = {
  name: string;
  weight: number;
  creatives?: Creative[];
  terms?: string[];
  /** Conversion rate when the campaign has no creatives of its own. */
  conversionRate?: number;
  /**
   * The utm_campaign its ads' links really carry when someone mistyped it (the ad platform still
   * bills the campaign under `name`): the spend audit (SPEC 14) has something to show.
   */
  taggedAs?: string;
};

export type Channel = {
  key: string;
  weight: number;
  /** utm_source/utm_medium put on the landing URL; undefined = derived by ingestion from the referrer. */
  utm?: { source: string; medium: string };
  referrers: string[];
  campaigns?: Campaign[];
  /** Chance of an order in a session (any status) when the campaign does not say otherwise. */
  conversionRate: number;
  /** Cost per click in UAH for paid channels (ad spend rows are written for these). */
  cpc?: [number, number];
  gclid?: boolean;
  /** Returning visitors come back through this channel more (direct, e-mail) or less. */
  returningBias: number;
};

/** The A/B campaign: its creatives convert really differently, so the A/B block has a winner. */
export const AB_CAMPAIGN = "spring_sale";

const springSale: Campaign = {
  name: AB_CAMPAIGN,
  weight: 65,
  creatives: [
    { content: "banner_a", weight: 34, conversionRate: 0.03 },
    { content: "video_b", weight: 33, conversionRate: 0.045 },
    { content: "carousel_c", weight: 33, conversionRate: 0.025 },
  ],
};

export const CHANNELS: Channel[] = [
  {
    key: "google-cpc",
    weight: 18,
    utm: { source: "google", medium: "cpc" },
    referrers: ["https://www.google.com/"],
    gclid: true,
    conversionRate: 0.042,
    cpc: [10, 25],
    returningBias: 0.8,
    campaigns: [
      { name: "brand_search", weight: 35, terms: ["shop example", "shop example ua", "магазин кросівок"], conversionRate: 0.065 },
      {
        name: "generic_search",
        weight: 65,
        terms: ["купити кросівки", "кросівки жіночі", "кросівки nike", "sneakers kyiv", "running shoes"],
        conversionRate: 0.033,
      },
    ],
  },
  { key: "google-organic", weight: 21, referrers: ["https://www.google.com/", "https://www.google.com.ua/"], conversionRate: 0.032, returningBias: 1 },
  { key: "bing-organic", weight: 2, referrers: ["https://www.bing.com/"], conversionRate: 0.03, returningBias: 1 },
  {
    key: "facebook",
    weight: 12,
    utm: { source: "facebook", medium: "paid_social" },
    referrers: ["https://l.facebook.com/", "https://m.facebook.com/"],
    conversionRate: 0.028,
    cpc: [8, 16],
    returningBias: 0.7,
    campaigns: [springSale, { name: "retargeting", weight: 35, creatives: [{ content: "dynamic_ads", weight: 1, conversionRate: 0.05 }] }],
  },
  {
    key: "instagram",
    weight: 9,
    utm: { source: "instagram", medium: "paid_social" },
    referrers: ["https://l.instagram.com/"],
    conversionRate: 0.025,
    cpc: [8, 18],
    returningBias: 0.7,
    campaigns: [
      { ...springSale, weight: 60 },
      {
        name: "influencer_collab",
        // Misspelled in the ads' links: spend under influencer_collab, sessions under influencer_colab.
        taggedAs: "influencer_colab",
        weight: 40,
        creatives: [
          { content: "stories", weight: 55, conversionRate: 0.022 },
          { content: "reels", weight: 45, conversionRate: 0.027 },
        ],
      },
    ],
  },
  {
    key: "email",
    weight: 7,
    utm: { source: "email", medium: "newsletter" },
    referrers: [""],
    conversionRate: 0.06,
    returningBias: 2.5,
    campaigns: [
      { name: "weekly_digest", weight: 75, conversionRate: 0.05 },
      { name: "abandoned_cart", weight: 25, conversionRate: 0.095 },
    ],
  },
  {
    key: "tiktok",
    weight: 5,
    utm: { source: "tiktok", medium: "paid_social" },
    referrers: ["https://www.tiktok.com/"],
    conversionRate: 0.015,
    cpc: [4, 10],
    returningBias: 0.5,
    campaigns: [
      {
        name: "tiktok_launch",
        weight: 1,
        creatives: [
          { content: "ugc_video_1", weight: 50, conversionRate: 0.014 },
          { content: "ugc_video_2", weight: 50, conversionRate: 0.017 },
        ],
      },
    ],
  },
  {
    key: "referral",
    weight: 7,
    referrers: ["https://hotline.ua/", "https://rozetka.com.ua/", "https://prom.ua/", "https://www.reddit.com/", "https://blog.runners.com.ua/"],
    conversionRate: 0.035,
    returningBias: 0.8,
  },
  // SPEC 17.4 channels the tagged traffic above does not reach: untagged social, AI assistants, webmail.
  {
    key: "social-organic",
    weight: 4,
    referrers: ["https://l.facebook.com/", "https://t.co/", "https://t.me/", "android-app://org.telegram.messenger"],
    conversionRate: 0.02,
    returningBias: 0.8,
  },
  { key: "ai-assistants", weight: 2, referrers: ["https://chatgpt.com/", "https://www.perplexity.ai/", "https://gemini.google.com/"], conversionRate: 0.05, returningBias: 1 },
  { key: "webmail", weight: 1, referrers: ["https://mail.google.com/", "android-app://com.google.android.gm", "https://mail.ukr.net/"], conversionRate: 0.04, returningBias: 1.5 },
  { key: "direct", weight: 19, referrers: [""], conversionRate: 0.045, returningBias: 2 },
];

export const COUNTRIES: { weight: number; value: string }[] = [
  { weight: 70, value: "UA" },
  { weight: 9, value: "PL" },
  { weight: 6, value: "DE" },
  { weight: 4, value: "US" },
  { weight: 2, value: "GB" },
  { weight: 2, value: "CZ" },
  { weight: 2, value: "LT" },
  { weight: 2, value: "MD" },
  { weight: 1.5, value: "CA" },
  { weight: 1.5, value: "NL" },
];

/** Real User-Agent strings; ingestion derives device/browser/OS from them like for the tracker. */
export const USER_AGENTS: { weight: number; value: { ua: string; device: "desktop" | "mobile" | "tablet" } }[] = [
  { weight: 24, value: { device: "mobile", ua: "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36" } },
  { weight: 20, value: { device: "mobile", ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1" } },
  { weight: 6, value: { device: "mobile", ua: "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36" } },
  { weight: 22, value: { device: "desktop", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36" } },
  { weight: 7, value: { device: "desktop", ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15" } },
  { weight: 6, value: { device: "desktop", ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36" } },
  { weight: 5, value: { device: "desktop", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0" } },
  { weight: 4, value: { device: "desktop", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68" } },
  { weight: 1, value: { device: "desktop", ua: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36" } },
  { weight: 4, value: { device: "tablet", ua: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1" } },
  { weight: 1, value: { device: "tablet", ua: "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36" } },
];

/** Conversion differs by device (small screens convert less). */
export const DEVICE_FACTOR = { desktop: 1.25, mobile: 0.85, tablet: 1 } as const;

export const PRODUCTS: { slug: string; price: number }[] = [
  { slug: "air-runner-2", price: 3499 },
  { slug: "trail-pro-gtx", price: 4899 },
  { slug: "city-walk-classic", price: 2199 },
  { slug: "kids-sprint", price: 1299 },
  { slug: "court-low-white", price: 2799 },
  { slug: "running-socks-3pack", price: 349 },
  { slug: "winter-boot-warm", price: 3999 },
  { slug: "slip-on-canvas", price: 1499 },
];

export const CATEGORY_PATHS = ["/", "/catalog/sneakers", "/catalog/running", "/catalog/kids", "/catalog/sale", "/blog/how-to-choose-running-shoes", "/delivery"];

/** Share of orders by final status (the rest are paid). */
export const ORDER_STATUS = [
  { weight: 90, value: "paid" },
  { weight: 4, value: "pending" },
  { weight: 4, value: "refunded" },
  { weight: 2, value: "cancelled" },
] as const;
