/**
 * SPEC 3.1: how a session's traffic source is derived from its landing URL, referrer and any
 * attributes given explicitly (batch import). Pure functions: collect and batch both use them,
 * so a session reads the same whichever way it arrived.
 */

import { cleanString } from "./clean";

export const NONE = "(none)";
export const DIRECT = "(direct)";

export type UtmFields = {
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
  utm_content?: string | null;
  utm_term?: string | null;
};

export type TrafficSource = {
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmContent: string;
  utmTerm: string;
};

/** Search engines by registrable-name label: google.com.ua, www.bing.com, search.yahoo.com ... */
const SEARCH_ENGINES: ReadonlyArray<{ name: string; label: string }> = [
  { name: "google", label: "google" },
  { name: "bing", label: "bing" },
  { name: "yandex", label: "yandex" },
  { name: "duckduckgo", label: "duckduckgo" },
  { name: "yahoo", label: "yahoo" },
  { name: "baidu", label: "baidu" },
  { name: "ecosia", label: "ecosia" },
];

/**
 * Trimmed value, or undefined when empty (SPEC 3.1: "empty means not set"). Values decoded from a
 * URL (`utm_source=a%00b`) are cleaned here, after decoding (SPEC 16): NULs removed, lone
 * surrogates replaced, as for JSON strings (clean.ts).
 */
export function clean(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const t = cleanString(value).trim();
  return t === "" ? undefined : t;
}

export function parseUrl(value: string | null | undefined): URL | undefined {
  const v = clean(value);
  if (!v) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Lower-case host without a leading `www.`. */
export function bareHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^www\./, "");
}

/**
 * The engine a host belongs to: its labels contain the engine's name followed only by a public
 * suffix-like tail (google.com, google.com.ua, search.yahoo.co.jp, yandex.ru), so
 * `google.example.org` or `notgoogle.com` are not engines.
 */
export function searchEngine(host: string): string | undefined {
  const labels = host.toLowerCase().split(".").filter(Boolean);
  for (let i = 0; i < labels.length - 1; i++) {
    const engine = SEARCH_ENGINES.find((e) => e.label === labels[i]);
    if (!engine) continue;
    const tail = labels.slice(i + 1);
    // A country/generic suffix: at most two short labels (com, ua, co.uk, com.ua, ru, jp).
    if (tail.length <= 2 && tail.every((l) => /^[a-z]{2,4}$/.test(l))) return engine.name;
  }
  return undefined;
}

/** The UTM values and gclid carried by a landing URL (undefined where absent or empty). */
export function utmFromUrl(url: URL | undefined): UtmFields & { gclid?: string } {
  if (!url) return {};
  const p = url.searchParams;
  return {
    utm_source: clean(p.get("utm_source")),
    utm_medium: clean(p.get("utm_medium")),
    utm_campaign: clean(p.get("utm_campaign")),
    utm_content: clean(p.get("utm_content")),
    utm_term: clean(p.get("utm_term")),
    gclid: clean(p.get("gclid")),
  };
}

export type SourceInput = {
  landingUrl?: string | null;
  referrer?: string | null;
  /** Attributes given explicitly (batch import); they win over what the URL says. */
  explicit?: UtmFields;
};

export function deriveTrafficSource(input: SourceInput): TrafficSource {
  const landing = parseUrl(input.landingUrl);
  const fromUrl = utmFromUrl(landing);
  const ex = input.explicit ?? {};
  const pick = (k: keyof UtmFields) => clean(ex[k]) ?? fromUrl[k] ?? undefined;

  const explicitSource = pick("utm_source")?.toLowerCase();
  const explicitMedium = pick("utm_medium")?.toLowerCase();

  let source: string;
  let medium: string | undefined;
  if (explicitSource) {
    source = explicitSource;
  } else if (fromUrl.gclid) {
    source = "google";
    medium = "cpc";
  } else {
    const ref = parseUrl(input.referrer);
    const refHost = ref ? bareHost(ref) : undefined;
    const landingHost = landing ? bareHost(landing) : undefined;
    if (refHost && refHost !== landingHost) {
      const engine = searchEngine(refHost);
      source = engine ?? refHost;
      medium = engine ? "organic" : "referral";
    } else {
      source = DIRECT;
    }
  }
  return {
    utmSource: source,
    // An explicit utm_medium is kept whatever the source's origin.
    utmMedium: explicitMedium ?? medium ?? NONE,
    utmCampaign: pick("utm_campaign") ?? NONE,
    utmContent: pick("utm_content") ?? NONE,
    utmTerm: pick("utm_term") ?? NONE,
  };
}

/** The path stored with events and as the landing path: pathname only (no query, no hash). */
export function pathOf(url: string | null | undefined): string | null {
  const u = parseUrl(url);
  return u ? u.pathname : null;
}

/**
 * The `referrer_host` dimension (SPEC 12): the referrer's host lower-case without `www.`, `(none)`
 * without a (parsable http) referrer. Collect and batch both call it; erasure clears the referrer
 * URL and keeps this.
 */
export function referrerHost(referrer: string | null | undefined): string {
  const u = parseUrl(referrer);
  return (u && bareHost(u)) || NONE;
}
