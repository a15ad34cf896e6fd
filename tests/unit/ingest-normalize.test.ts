import { describe, expect, it } from "vitest";
import { cleanString, sanitizeJson } from "@/lib/ingest/clean";
import { clientIp, countryCode, countryFromRequest } from "@/lib/ingest/geo";
import { deriveTrafficSource, searchEngine, type SourceInput, type TrafficSource } from "@/lib/ingest/normalize";
import { parseInstant } from "@/lib/ingest/schemas";
import { isBotUserAgent, parseUserAgent } from "@/lib/ingest/user-agent";

const SHOP = "https://shop.example.com/p/1";
/** SPEC 17.4 adds `channel` (hand-written below) and `clickIds` (null unless given) to every answer; SPEC 18 `utmId` (null unless given). */
const src = (utmSource: string, utmMedium: string, channel: TrafficSource["channel"], rest: Partial<TrafficSource> = {}): TrafficSource => ({
  utmSource,
  utmMedium,
  utmCampaign: "(none)",
  utmContent: "(none)",
  utmTerm: "(none)",
  utmId: null,
  channel,
  clickIds: null,
  ...rest,
});

describe("SPEC 3.1 traffic source derivation", () => {
  const cases: Array<[string, SourceInput, TrafficSource]> = [
    ["no URL, no referrer → direct", {}, src("(direct)", "(none)", "Direct")],
    ["landing without tags, no referrer → direct", { landingUrl: SHOP }, src("(direct)", "(none)", "Direct")],
    [
      "all five tags trimmed; source and medium lower-cased, campaign case kept",
      { landingUrl: `${SHOP}?utm_source=%20Facebook%20&utm_medium=CPC&utm_campaign=%20Spring%20Sale&utm_content=Ad_A&utm_term=Shoes` },
      src("facebook", "cpc", "Paid Social", { utmCampaign: "Spring Sale", utmContent: "Ad_A", utmTerm: "Shoes" }),
    ],
    ["empty utm_source means not set → direct", { landingUrl: `${SHOP}?utm_source=%20%20` }, src("(direct)", "(none)", "Direct")],
    ["gclid → google/cpc", { landingUrl: `${SHOP}?gclid=abc` }, src("google", "cpc", "Paid Search", { clickIds: { gclid: "abc" } })],
    ["gclid with explicit utm_medium keeps the medium", { landingUrl: `${SHOP}?gclid=abc&utm_medium=Display` }, src("google", "display", "Display", { clickIds: { gclid: "abc" } })],
    ["utm_source wins over gclid", { landingUrl: `${SHOP}?gclid=abc&utm_source=Bing` }, src("bing", "(none)", "Paid Search", { clickIds: { gclid: "abc" } })],
    ["utm_source wins over a referrer", { landingUrl: `${SHOP}?utm_source=news`, referrer: "https://www.google.com/" }, src("news", "(none)", "Other")],
    ["foreign referrer → host without www / referral", { landingUrl: SHOP, referrer: "https://www.Blog.Example.org/post" }, src("blog.example.org", "referral", "Referral")],
    ["same-host referrer → direct", { landingUrl: SHOP, referrer: "https://shop.example.com/cart" }, src("(direct)", "(none)", "Direct")],
    ["same host modulo www → direct", { landingUrl: SHOP, referrer: "https://www.shop.example.com/" }, src("(direct)", "(none)", "Direct")],
    ["google.com.ua → google/organic", { landingUrl: SHOP, referrer: "https://www.google.com.ua/" }, src("google", "organic", "Organic Search")],
    ["www.bing.com → bing/organic", { landingUrl: SHOP, referrer: "https://www.bing.com/search?q=x" }, src("bing", "organic", "Organic Search")],
    ["yandex.ru → yandex/organic", { landingUrl: SHOP, referrer: "https://yandex.ru/search" }, src("yandex", "organic", "Organic Search")],
    ["duckduckgo.com → duckduckgo/organic", { landingUrl: SHOP, referrer: "https://duckduckgo.com/" }, src("duckduckgo", "organic", "Organic Search")],
    ["search.yahoo.com → yahoo/organic", { landingUrl: SHOP, referrer: "https://search.yahoo.com/" }, src("yahoo", "organic", "Organic Search")],
    ["baidu.com → baidu/organic", { landingUrl: SHOP, referrer: "https://www.baidu.com/s?wd=x" }, src("baidu", "organic", "Organic Search")],
    ["ecosia.org → ecosia/organic", { landingUrl: SHOP, referrer: "https://www.ecosia.org/search" }, src("ecosia", "organic", "Organic Search")],
    ["search engine with explicit utm_medium keeps it", { landingUrl: `${SHOP}?utm_medium=Email`, referrer: "https://www.google.com/" }, src("google", "email", "Organic Search")],
    ["referral with explicit utm_medium keeps it", { landingUrl: `${SHOP}?utm_medium=partner`, referrer: "https://blog.example.org/" }, src("blog.example.org", "partner", "Other")],
    ["direct with explicit utm_medium keeps it", { landingUrl: `${SHOP}?utm_medium=email` }, src("(direct)", "email", "Email")],
    ["unparseable referrer → direct", { landingUrl: SHOP, referrer: "not a url" }, src("(direct)", "(none)", "Direct")],
    // Changed by SPEC 17.4: an Android app referrer is read by its package (was: non-http → direct).
    ["android-app referrer → its network (gmail)", { landingUrl: SHOP, referrer: "android-app://com.google.android.gm" }, src("gmail", "referral", "Email")],
    ["other non-http referrer → direct", { landingUrl: SHOP, referrer: "ftp://files.example.org/" }, src("(direct)", "(none)", "Direct")],
    ["referrer without landing URL → referral", { referrer: "https://forum.example.net/t/1" }, src("forum.example.net", "referral", "Referral")],
    [
      "explicit attributes win over the URL and are normalised the same way",
      { landingUrl: `${SHOP}?utm_source=fb&utm_campaign=old`, explicit: { utm_source: " Instagram ", utm_medium: "SOCIAL", utm_campaign: " New " } },
      src("instagram", "social", "Organic Social", { utmCampaign: "New" }),
    ],
    [
      "empty explicit values fall back to the URL",
      { landingUrl: `${SHOP}?utm_source=fb&utm_campaign=c1`, explicit: { utm_source: "", utm_campaign: "  " } },
      src("fb", "(none)", "Organic Social", { utmCampaign: "c1" }),
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(deriveTrafficSource(input)).toEqual(expected));
  }

  it("recognises engines only by their own name plus a public suffix", () => {
    expect(searchEngine("google.co.uk")).toBe("google");
    expect(searchEngine("cn.bing.com")).toBe("bing");
    expect(searchEngine("yandex.com.tr")).toBe("yandex");
    expect(searchEngine("notgoogle.com")).toBeUndefined();
    expect(searchEngine("google.example.org")).toBeUndefined();
    expect(searchEngine("example.com")).toBeUndefined();
  });
});

describe("User-Agent families and device class", () => {
  const cases: Array<[string, string, { device: string; browser: string; os: string }]> = [
    ["Windows Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", { device: "desktop", browser: "Chrome", os: "Windows" }],
    ["Mac Safari", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", { device: "desktop", browser: "Safari", os: "macOS" }],
    ["Linux Firefox", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", { device: "desktop", browser: "Firefox", os: "Linux" }],
    ["iPhone Safari", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", { device: "mobile", browser: "Safari", os: "iOS" }],
    ["iPad", "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1", { device: "tablet", browser: "Safari", os: "iOS" }],
    ["Android Chrome", "Mozilla/5.0 (Linux; Android 13; SM-S901B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36", { device: "mobile", browser: "Chrome", os: "Android" }],
    ["unknown string", "curl-like-thing", { device: "other", browser: "(none)", os: "(none)" }],
    ["empty", "", { device: "other", browser: "(none)", os: "(none)" }],
  ];
  for (const [name, ua, expected] of cases) {
    it(name, () => expect(parseUserAgent(ua)).toEqual(expected));
  }

  it("detects bots and not browsers", () => {
    expect(isBotUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")).toBe(true);
    expect(isBotUserAgent("curl/8.4.0")).toBe(true);
    expect(isBotUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")).toBe(false);
    expect(isBotUserAgent(undefined)).toBe(false);
  });

  it("survives a hostile 100 KB User-Agent", () => {
    expect(parseUserAgent("Mozilla/5.0 (" + "a".repeat(100_000)).device).toBe("other");
  });
});

describe("country", () => {
  it("prefers cf-ipcountry, then x-vercel-ip-country, ignoring XX and T1", async () => {
    expect(await countryFromRequest(new Headers({ "cf-ipcountry": "ua", "x-vercel-ip-country": "PL" }))).toBe("UA");
    expect(await countryFromRequest(new Headers({ "cf-ipcountry": "XX", "x-vercel-ip-country": "pl" }))).toBe("PL");
    expect(await countryFromRequest(new Headers({ "cf-ipcountry": "T1" }))).toBe("(none)");
  });

  it("falls back to the IP database for the first forwarded hop, else x-real-ip", async () => {
    // 8.8.8.8 is Google's resolver, registered in the US in every GeoLite2 edition.
    expect(await countryFromRequest(new Headers({ "x-forwarded-for": "8.8.8.8, 10.0.0.1" }))).toBe("US");
    expect(await countryFromRequest(new Headers({ "x-real-ip": "8.8.8.8" }))).toBe("US");
    expect(await countryFromRequest(new Headers({ "x-forwarded-for": "127.0.0.1" }))).toBe("(none)");
    expect(await countryFromRequest(new Headers({ "x-forwarded-for": "garbage" }))).toBe("(none)");
    expect(await countryFromRequest(new Headers())).toBe("(none)");
  });

  it("parses forwarded addresses with ports and IPv4-mapped IPv6", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4:5678" }))).toBe("1.2.3.4");
    expect(clientIp(new Headers({ "x-forwarded-for": "[2001:db8::1]:443" }))).toBe("2001:db8::1");
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:1.2.3.4" }))).toBe("1.2.3.4");
    expect(countryCode("ukr")).toBeUndefined();
  });
});

describe("ISO instants and hostile strings", () => {
  it("accepts Z and offsets, refuses local times and impossible dates", () => {
    expect(parseInstant("2025-01-31T12:00:00Z")).toBe("2025-01-31T12:00:00.000Z");
    // 12:00 at +02:00 is 10:00 UTC.
    expect(parseInstant("2025-01-31T12:00:00+02:00")).toBe("2025-01-31T10:00:00.000Z");
    expect(parseInstant("2025-01-31T12:00:00-0530")).toBe("2025-01-31T17:30:00.000Z");
    expect(parseInstant("2025-01-31T12:00:00")).toBeUndefined();
    expect(parseInstant("2025-01-31")).toBeUndefined();
    expect(parseInstant("2025-02-30T00:00:00Z")).toBeUndefined();
    expect(parseInstant("2025-01-31T24:00:00Z")).toBeUndefined();
    expect(parseInstant("yesterday")).toBeUndefined();
  });

  it("cleans URL-decoded text; refuses NULs and lone surrogates in JSON naming the field (SPEC 21), keeps __proto__ as data", () => {
    expect(cleanString("a\u0000b\ud800c")).toBe("ab\ufffdc");
    expect(cleanString("😀")).toBe("😀");
    const v = sanitizeJson(JSON.parse('{"__proto__": {"x": 1}, "k": ["ok"]}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__", "k"]);
    expect(() => sanitizeJson(JSON.parse('{"k": ["\\u0000"]}'))).toThrow(/k\[0\] must not contain NUL/);
  });

  it("refuses JSON nested absurdly deep as a client error", () => {
    const deep = JSON.parse("[".repeat(1000) + "]".repeat(1000));
    expect(() => sanitizeJson(deep)).toThrow(/nested deeper/);
  });
});
