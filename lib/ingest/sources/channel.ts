import { hasPaidClickId, type ClickIds } from "./click-ids";
import { categoryOfSource, networkLists, type SourceCategory } from "./networks";

/**
 * The `channel` dimension (SPEC 17.4): a default channel group in the style of GA4's, derived
 * from a session's source, medium and click ids. The rules, in the order they are tried, are
 * written out in docs/channels.md; `channelSql` is the same rules over the columns for the
 * migration that fills existing rows (drizzle/0012_channel_backfill.sql).
 */

export const CHANNELS = [
  "Paid Search",
  "Organic Search",
  "Paid Social",
  "Organic Social",
  "Email",
  "AI Assistants",
  "Referral",
  "Display",
  "Affiliates",
  "SMS",
  "Video",
  "Direct",
  "Other",
] as const;
export type Channel = (typeof CHANNELS)[number];

/** GA4's paid medium: `^(.*cp.*|ppc|retargeting|paid.*)$`. */
export const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const PAID_SOCIAL_MEDIUM = /^(paid[-_ ]?social|social[-_ ]?paid)$/;
const DISPLAY_MEDIUM = /^(display|banner|expandable|interstitial|cpm)$/;
const SOCIAL_MEDIUM = /^(social|social[-_ ]network|social[-_ ]media|sm)$/;
const VIDEO_MEDIUM = /^(.*video.*)$/;
const EMAIL = /^(email|e-mail|e_mail|e mail|newsletter)$/;
const REFERRAL_MEDIUM = /^(referral|app|link)$/;

export type ChannelInput = { source: string; medium: string; clickIds?: ClickIds | null };

export function channelOf({ source, medium, clickIds }: ChannelInput): Channel {
  const s = source.toLowerCase();
  const m = medium.toLowerCase();
  if (s === "(direct)" && (m === "(none)" || m === "(not set)")) return "Direct";
  const cat: SourceCategory | undefined = categoryOfSource(s);
  // An ad click id with no medium given (utm_source=google&gclid=...) is a paid click.
  const paid = PAID_MEDIUM.test(m) || (m === "(none)" && hasPaidClickId(clickIds));
  if (paid && cat === "search") return "Paid Search";
  if (paid && (cat === "social" || PAID_SOCIAL_MEDIUM.test(m))) return "Paid Social";
  if (paid && cat === "video") return "Video";
  if (DISPLAY_MEDIUM.test(m) || cat === "display") return "Display";
  if (paid) return "Other";
  if (cat === "ai") return "AI Assistants";
  if (cat === "social" || SOCIAL_MEDIUM.test(m)) return "Organic Social";
  if (cat === "video" || VIDEO_MEDIUM.test(m)) return "Video";
  if (cat === "search" || m === "organic") return "Organic Search";
  if (cat === "email" || EMAIL.test(s) || EMAIL.test(m)) return "Email";
  if (m === "affiliate" || m === "affiliates") return "Affiliates";
  if (cat === "sms" || s === "sms" || m === "sms") return "SMS";
  if (REFERRAL_MEDIUM.test(m)) return "Referral";
  return "Other";
}

// ---- the same rules in SQL (the backfill of rows stored before SPEC 17.4) ----------------------

const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
const reEscape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A JS regex literal's source as a POSIX one (the ones above use only portable syntax). */
const posix = (r: RegExp) => lit(r.source);

/**
 * The category of `src` in SQL from our own list (networks.ts NETWORKS): its source names and
 * aliases, and a host-shaped source by host (with subdomains) or search-engine label. The
 * maintained list's 2,000-odd hosts are not repeated here: a stored referral source only it knows
 * reads `Referral` until re-imported (docs/channels.md).
 */
function categorySql(src: string): string {
  const whens = networkLists().map((l) => {
    const parts = [`${src} IN (${l.sources.map(lit).join(", ")})`];
    if (l.hosts.length) parts.push(`${src} ~ ${lit(`^(.+\\.)?(${l.hosts.map(reEscape).join("|")})$`)}`);
    if (l.labels.length) parts.push(`${src} ~ ${lit(`^(.+\\.)?(${l.labels.map(reEscape).join("|")})(\\.[a-z]{2,6}){1,2}$`)}`);
    return `      WHEN ${parts.join("\n        OR ")} THEN ${lit(l.category)}`;
  });
  return `CASE\n${whens.join("\n")}\n    END`;
}

/**
 * `channelOf` as a SQL function of a stored source and medium (no click ids: none were stored
 * before SPEC 17.4), created by the backfill migration, used once and dropped again.
 */
export function channelBackfillFunctionSql(name = "utmd_channel_backfill"): string {
  const paid = `m ~ ${posix(PAID_MEDIUM)}`;
  return `CREATE FUNCTION ${name}(src text, med text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN s = '(direct)' AND m IN ('(none)', '(not set)') THEN 'Direct'
    WHEN ${paid} AND cat = 'search' THEN 'Paid Search'
    WHEN ${paid} AND (cat = 'social' OR m ~ ${posix(PAID_SOCIAL_MEDIUM)}) THEN 'Paid Social'
    WHEN ${paid} AND cat = 'video' THEN 'Video'
    WHEN m ~ ${posix(DISPLAY_MEDIUM)} OR cat = 'display' THEN 'Display'
    WHEN ${paid} THEN 'Other'
    WHEN cat = 'ai' THEN 'AI Assistants'
    WHEN cat = 'social' OR m ~ ${posix(SOCIAL_MEDIUM)} THEN 'Organic Social'
    WHEN cat = 'video' OR m ~ ${posix(VIDEO_MEDIUM)} THEN 'Video'
    WHEN cat = 'search' OR m = 'organic' THEN 'Organic Search'
    WHEN cat = 'email' OR s ~ ${posix(EMAIL)} OR m ~ ${posix(EMAIL)} THEN 'Email'
    WHEN m IN ('affiliate', 'affiliates') THEN 'Affiliates'
    WHEN cat = 'sms' OR s = 'sms' OR m = 'sms' THEN 'SMS'
    WHEN m ~ ${posix(REFERRAL_MEDIUM)} THEN 'Referral'
    ELSE 'Other'
  END
  FROM (SELECT lower(src) AS s, lower(med) AS m) x
  CROSS JOIN LATERAL (SELECT ${categorySql("x.s")} AS cat) c
$$;`;
}
