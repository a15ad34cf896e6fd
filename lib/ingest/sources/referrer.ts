import { getDomain } from "tldts";
import { networkOfApp, networkOfHost, type SourceCategory } from "./networks";

/**
 * A session's referrer as SPEC 17.4 reads it: an http(s) URL or an Android app
 * (`android-app://<package>`), own hosts excluded, normalised to one source per network.
 */

export type ParsedReferrer = { kind: "web"; host: string; path: string } | { kind: "app"; pkg: string };

/** Lower-case host without a leading `www.`. */
export const bare = (host: string) => host.toLowerCase().replace(/^www\./, "");

export function parseReferrer(value: string | undefined): ParsedReferrer | undefined {
  if (!value) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return undefined;
  }
  if (u.protocol === "http:" || u.protocol === "https:") {
    const host = bare(u.hostname);
    return host ? { kind: "web", host, path: u.pathname } : undefined;
  }
  if (u.protocol === "android-app:") {
    // android-app://<package>[/<scheme>/<host>/...]: the package is the URL's host.
    const pkg = u.hostname.toLowerCase();
    return /^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(pkg) ? { kind: "app", pkg } : undefined;
  }
  return undefined;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"]);

const within = (host: string, parent: string) => host === parent || host.endsWith("." + parent);

/**
 * Own hosts are not referrers: localhost and loopback addresses, the SITE_HOSTS entries and their
 * subdomains, the landing page's host and every host under its registrable domain (shop.example.com
 * landing: checkout.example.com is own). Registrable domains count private suffixes as suffixes, so
 * one *.myshopify.com shop is not another's own host.
 */
export function isOwnHost(host: string, landingHost: string | undefined, siteHosts: readonly string[]): boolean {
  if (LOOPBACK.has(host) || host.endsWith(".localhost")) return true;
  for (const h of siteHosts) if (within(host, bare(h))) return true;
  if (!landingHost) return false;
  if (host === landingHost) return true;
  const domain = getDomain(landingHost, { allowPrivateDomains: true });
  return !!domain && within(host, domain);
}

export type ReferrerSource = { source: string; medium: string; category: SourceCategory | null };

/**
 * Source and medium of an external referrer: a known network's source name with medium `organic`
 * for search engines, `display` for ad networks and `referral` otherwise; an unknown site's host
 * (without `www.`) / `referral`; an unknown app's package / `referral`.
 */
export function referrerSource(ref: ParsedReferrer): ReferrerSource {
  const known = ref.kind === "app" ? networkOfApp(ref.pkg) : networkOfHost(ref.host, ref.path);
  if (!known) return { source: ref.kind === "app" ? ref.pkg : ref.host, medium: "referral", category: null };
  const medium = known.category === "search" ? "organic" : known.category === "display" ? "display" : "referral";
  return { source: known.source, medium, category: known.category };
}
