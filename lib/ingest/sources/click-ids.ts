import { cleanString } from "../clean";

/**
 * Ad platforms' click ids kept on a session (SPEC 17.4), as the landing URL names them. Stored
 * as one jsonb `sessions.click_ids` holding only the ids present (null when none).
 */
export const CLICK_ID_NAMES = ["gclid", "gbraid", "wbraid", "dclid", "msclkid", "ttclid", "fbclid", "li_fat_id", "twclid", "yclid"] as const;
export type ClickIdName = (typeof CLICK_ID_NAMES)[number];
export type ClickIds = Partial<Record<ClickIdName, string>>;

/** A click id longer than this is not one (they are at most a few hundred characters). */
export const MAX_CLICK_ID_LENGTH = 500;

/**
 * Without `utm_source`, these ids name the source and the paid medium (SPEC 17.4); the first one
 * present in this order wins. `fbclid` is not a paid signal by itself (Meta adds it to organic
 * links too): it names `facebook` only when neither the URL nor the referrer names a source.
 */
export const PAID_CLICK_SOURCES: ReadonlyArray<{ id: ClickIdName; source: string }> = [
  { id: "gclid", source: "google" },
  { id: "gbraid", source: "google" },
  { id: "wbraid", source: "google" },
  { id: "msclkid", source: "bing" },
  { id: "ttclid", source: "tiktok" },
  { id: "yclid", source: "yandex" },
];

/** Ids that mark an ad click (all but fbclid): with no utm_medium, the channel reads them as paid. */
export const PAID_CLICK_IDS: readonly ClickIdName[] = ["gclid", "gbraid", "wbraid", "dclid", "msclkid", "ttclid", "yclid", "twclid", "li_fat_id"];

/** The click ids of a landing URL's query: trimmed, cleaned like UTM values, empty or overlong dropped. */
export function clickIdsOf(params: URLSearchParams | undefined): ClickIds {
  const out: ClickIds = {};
  if (!params) return out;
  for (const name of CLICK_ID_NAMES) {
    const raw = params.get(name);
    if (raw === null) continue;
    const v = cleanString(raw).trim();
    if (v !== "" && v.length <= MAX_CLICK_ID_LENGTH) out[name] = v;
  }
  return out;
}

export function hasPaidClickId(ids: ClickIds | null | undefined): boolean {
  return !!ids && PAID_CLICK_IDS.some((k) => ids[k] !== undefined);
}
