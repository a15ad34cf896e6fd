import { isIP } from "node:net";
import { NONE } from "./normalize";

/**
 * SPEC 2.2 country: trusted CDN/proxy headers first (Cloudflare, Vercel), then the local
 * GeoLite2 country database (geoip-country) for the client IP. The IP is only looked up here
 * and never stored or logged.
 */

type GeoIp = { lookup(ip: string): { country: string } | null };
let geoip: Promise<GeoIp> | undefined;

/** Loaded on first use: the database takes ~20 ms and a few MB, paid once per process. */
function loadGeoIp(): Promise<GeoIp> {
  geoip ??= import("geoip-country").then((m) => (m.default ?? m) as GeoIp);
  return geoip;
}

/** Cloudflare's "unknown" (XX) and "Tor" (T1) are not countries. */
const NOT_COUNTRIES = new Set(["XX", "T1"]);

export function countryCode(value: string | null | undefined): string | undefined {
  const v = value?.trim().toUpperCase();
  if (!v || !/^[A-Z]{2}$/.test(v) || NOT_COUNTRIES.has(v)) return undefined;
  return v;
}

/** The client IP as the nearest proxy saw it: x-forwarded-for's first hop, else x-real-ip. */
export function clientIp(headers: Pick<Headers, "get">): string | undefined {
  const candidates = [headers.get("x-forwarded-for")?.split(",")[0], headers.get("x-real-ip")];
  for (const raw of candidates) {
    let ip = raw?.trim();
    if (!ip) continue;
    // "[::1]:443" / "1.2.3.4:5678" → address only.
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
    if (bracketed) ip = bracketed[1];
    else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
    if (ip.toLowerCase().startsWith("::ffff:") && isIP(ip.slice(7)) === 4) ip = ip.slice(7);
    if (isIP(ip)) return ip;
  }
  return undefined;
}

export function countryFromHeaderValues(headers: Pick<Headers, "get">): string | undefined {
  return countryCode(headers.get("cf-ipcountry")) ?? countryCode(headers.get("x-vercel-ip-country"));
}

export async function countryFromRequest(headers: Pick<Headers, "get">): Promise<string> {
  const fromHeader = countryFromHeaderValues(headers);
  if (fromHeader) return fromHeader;
  const ip = clientIp(headers);
  if (!ip) return NONE;
  try {
    const hit = (await loadGeoIp()).lookup(ip);
    return countryCode(hit?.country) ?? NONE;
  } catch {
    return NONE;
  }
}
