import { isbot } from "isbot";
import { UAParser } from "ua-parser-js";
import { NONE } from "./normalize";

/**
 * SPEC 3.1 device/browser/os from a User-Agent: family names without version (ua-parser-js 1.x, MIT; 2.x is AGPL),
 * device class desktop|mobile|tablet|other; bots by the isbot list. Results are memoised because
 * a busy shop sends the same few hundred User-Agents over and over (SPEC 9 collect budget).
 */

export type Device = "desktop" | "mobile" | "tablet" | "other";
export const DEVICES: readonly Device[] = ["desktop", "mobile", "tablet", "other"];

export type UserAgentInfo = { device: Device; browser: string; os: string };

/** Longer strings are truncated before parsing: no real UA is this long, and regexes stay cheap. */
const MAX_UA = 512;

const DESKTOP_OS = /^(windows|macos|mac os|linux|ubuntu|debian|fedora|mint|arch|gentoo|centos|red hat|suse|opensuse|manjaro|chrome os|chromium os|freebsd|openbsd|netbsd|solaris|unix)/i;

const cache = new Map<string, UserAgentInfo & { bot: boolean }>();
const CACHE_MAX = 1000;

function analyse(uaRaw: string): UserAgentInfo & { bot: boolean } {
  const ua = uaRaw.slice(0, MAX_UA);
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = UAParser(ua);
  const osName = r.os.name?.trim() || NONE;
  // ua-parser-js 1.x still says "Mac OS"; the family is called macOS since 2016.
  const os = osName === "Mac OS" ? "macOS" : osName;
  // "Mobile Safari"/"Mobile Chrome" are the same family as Safari/Chrome; the device says mobile.
  const browser = r.browser.name?.trim().replace(/^Mobile /, "") || NONE;
  let device: Device;
  const type = r.device.type;
  if (type === "mobile") device = "mobile";
  else if (type === "tablet") device = "tablet";
  else if (type) device = "other"; // console, smarttv, wearable, xr, embedded
  else if (os !== NONE && DESKTOP_OS.test(os)) device = "desktop";
  else device = "other";
  const info = { device, browser, os, bot: ua.trim() !== "" && isbot(ua) };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(ua, info);
  return info;
}

export function parseUserAgent(ua: string | null | undefined): UserAgentInfo {
  if (!ua || ua.trim() === "") return { device: "other", browser: NONE, os: NONE };
  const { device, browser, os } = analyse(ua);
  return { device, browser, os };
}

export function isBotUserAgent(ua: string | null | undefined): boolean {
  if (!ua || ua.trim() === "") return false;
  return analyse(ua).bot;
}
