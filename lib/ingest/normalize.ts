/**
 * SPEC 3.1 and 17.4: how a session's traffic source, channel and click ids are derived from its
 * landing URL, referrer and any attributes given explicitly (batch import). Pure functions (the
 * lists and rules live in sources/): collect, batch and the orders' landing touchpoints all use
 * them, so a session reads the same whichever way it arrived.
 */

import { config } from "@/lib/config";
import { cleanString } from "./clean";
import { channelOf, type Channel } from "./sources/channel";
import { clickIdsOf, PAID_CLICK_SOURCES, type ClickIds } from "./sources/click-ids";
import { networkOfHost } from "./sources/networks";
import { bare, isOwnHost, parseReferrer, referrerSource } from "./sources/referrer";

export { CHANNELS, type Channel } from "./sources/channel";
export { CLICK_ID_NAMES, type ClickIds } from "./sources/click-ids";

export const NONE = "(none)";
export const DIRECT = "(direct)";

export type UtmFields = {
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
  utm_content?: string | null;
  utm_term?: string | null;
  /** SPEC 18: the ad platform's campaign id (GA4's `utm_id`). */
  utm_id?: string | null;
};

export type TrafficSource = {
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmContent: string;
  utmTerm: string;
  /** SPEC 18: `utm_id`, null when absent (an id, not a dimension: no "(none)"). */
  utmId: string | null;
  /** SPEC 17.4: the default channel group (sources/channel.ts, docs/channels.md). */
  channel: Channel;
  /** SPEC 17.4: the landing URL's click ids, null when it has none (sessions.click_ids). */
  clickIds: ClickIds | null;
};

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
  return bare(url.hostname);
}

/**
 * The search engine a host belongs to (sources/networks.ts): google.com, google.com.ua,
 * search.yahoo.co.jp, ntp.msn.com, search.brave.com ...; `google.example.org` or `notgoogle.com`
 * are not engines.
 */
export function searchEngine(host: string): string | undefined {
  const n = networkOfHost(bare(host));
  return n?.category === "search" ? n.source : undefined;
}

/** The UTM values, `ref`/`source` and click ids carried by a landing URL (undefined where absent or empty). */
export function utmFromUrl(url: URL | undefined): UtmFields & { gclid?: string; ref?: string; clickIds: ClickIds } {
  if (!url) return { clickIds: {} };
  const p = url.searchParams;
  const clickIds = clickIdsOf(p);
  return {
    utm_source: clean(p.get("utm_source")),
    utm_medium: clean(p.get("utm_medium")),
    utm_campaign: clean(p.get("utm_campaign")),
    utm_content: clean(p.get("utm_content")),
    utm_term: clean(p.get("utm_term")),
    utm_id: clean(p.get("utm_id")),
    gclid: clickIds.gclid,
    ref: clean(p.get("ref")) ?? clean(p.get("source")),
    clickIds,
  };
}

export type SourceInput = {
  landingUrl?: string | null;
  referrer?: string | null;
  /** Attributes given explicitly (batch import); they win over what the URL says. */
  explicit?: UtmFields;
  /** The shop's own hosts besides the landing page's domain; default SITE_HOSTS (config). */
  siteHosts?: readonly string[];
};

/**
 * SPEC 3.1 as extended by 17.4. Without `utm_source`, in this order: a paid click id
 * (gclid|gbraid|wbraid → google, msclkid → bing, ttclid → tiktok, yclid → yandex; medium `cpc`),
 * `ref=` or `source=` (medium `referral`), an external referrer (its network, sources/referrer.ts),
 * a lone `fbclid` (facebook / referral), else `(direct)`. An explicit `utm_medium` is kept
 * whatever the source's origin; the channel is read from the result (sources/channel.ts).
 */
export function deriveTrafficSource(input: SourceInput): TrafficSource {
  const landing = parseUrl(input.landingUrl);
  const fromUrl = utmFromUrl(landing);
  const ex = input.explicit ?? {};
  const pick = (k: keyof UtmFields) => clean(ex[k]) ?? fromUrl[k] ?? undefined;

  const explicitSource = pick("utm_source")?.toLowerCase();
  const explicitMedium = pick("utm_medium")?.toLowerCase();
  const ids = fromUrl.clickIds;
  const paidClick = PAID_CLICK_SOURCES.find((c) => ids[c.id] !== undefined);

  let source: string;
  let medium: string | undefined;
  if (explicitSource) {
    source = explicitSource;
  } else if (paidClick) {
    source = paidClick.source;
    medium = "cpc";
  } else if (fromUrl.ref) {
    source = fromUrl.ref.toLowerCase();
    medium = "referral";
  } else {
    const ref = parseReferrer(clean(input.referrer));
    const landingHost = landing ? bareHost(landing) : undefined;
    if (ref && !(ref.kind === "web" && isOwnHost(ref.host, landingHost, input.siteHosts ?? config().siteHosts))) {
      const got = referrerSource(ref);
      source = got.source;
      medium = got.medium;
    } else if (ids.fbclid) {
      source = "facebook";
      medium = "referral";
    } else {
      source = DIRECT;
    }
  }
  // An explicit utm_medium is kept whatever the source's origin.
  const utmMedium = explicitMedium ?? medium ?? NONE;
  const clickIds = Object.keys(ids).length > 0 ? ids : null;
  return {
    utmSource: source,
    utmMedium,
    utmCampaign: pick("utm_campaign") ?? NONE,
    utmContent: pick("utm_content") ?? NONE,
    utmTerm: pick("utm_term") ?? NONE,
    utmId: pick("utm_id")?.slice(0, 500) ?? null,
    channel: channelOf({ source, medium: utmMedium, clickIds }),
    clickIds,
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
  const r = parseReferrer(clean(referrer));
  // An app referrer (android-app://com.google.android.gm) reads as its package (SPEC 17.4).
  return r ? (r.kind === "web" ? r.host : r.pkg) : NONE;
}
