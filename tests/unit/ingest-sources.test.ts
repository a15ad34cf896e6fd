import { describe, expect, it } from "vitest";
import { deriveTrafficSource, referrerHost, type SourceInput } from "@/lib/ingest/normalize";
import { channelOf } from "@/lib/ingest/sources/channel";
import { isOwnHost } from "@/lib/ingest/sources/referrer";

/**
 * SPEC 17.4: referrers normalised to one source per network, own hosts, click ids, ref=/source=,
 * and the channel. Every expected value is written by hand from the rules in docs/channels.md.
 */

const SHOP = "https://shop.example.com/p/1";
type Got = [source: string, medium: string, channel: string];
const from = (referrer: string, landingUrl = SHOP, siteHosts: string[] = []): SourceInput => ({ landingUrl, referrer, siteHosts });
const landing = (query: string, referrer?: string): SourceInput => ({ landingUrl: `${SHOP}${query}`, referrer, siteHosts: [] });
const got = (input: SourceInput): Got => {
  const s = deriveTrafficSource(input);
  return [s.utmSource, s.utmMedium, s.channel];
};

describe("SPEC 17.4 referrers, click ids and channels", () => {
  const cases: Array<[string, SourceInput, Got]> = [
    // Android apps, by package.
    ["android-app Gmail → gmail / Email", from("android-app://com.google.android.gm"), ["gmail", "referral", "Email"]],
    ["android-app Gmail with a path → gmail / Email", from("android-app://com.google.android.gm/"), ["gmail", "referral", "Email"]],
    ["android-app Google app → google organic", from("android-app://com.google.android.googlequicksearchbox/https/www.google.com"), ["google", "organic", "Organic Search"]],
    ["android-app Telegram → telegram / Organic Social", from("android-app://org.telegram.messenger"), ["telegram", "referral", "Organic Social"]],
    ["android-app Facebook → facebook", from("android-app://com.facebook.katana"), ["facebook", "referral", "Organic Social"]],
    ["android-app Messenger → facebook", from("android-app://com.facebook.orca"), ["facebook", "referral", "Organic Social"]],
    ["android-app Instagram → instagram", from("android-app://com.instagram.android"), ["instagram", "referral", "Organic Social"]],
    ["android-app Twitter → twitter", from("android-app://com.twitter.android"), ["twitter", "referral", "Organic Social"]],
    ["android-app LinkedIn → linkedin", from("android-app://com.linkedin.android"), ["linkedin", "referral", "Organic Social"]],
    ["android-app YouTube → youtube / Video", from("android-app://com.google.android.youtube"), ["youtube", "referral", "Video"]],
    ["android-app Outlook → outlook / Email", from("android-app://com.microsoft.office.outlook"), ["outlook", "referral", "Email"]],
    ["android-app Google Messages → sms / SMS", from("android-app://com.google.android.apps.messaging"), ["sms", "referral", "SMS"]],
    ["android-app ChatGPT → chatgpt / AI Assistants", from("android-app://com.openai.chatgpt"), ["chatgpt", "referral", "AI Assistants"]],
    ["unknown android app → its package / Referral", from("android-app://com.example.reader"), ["com.example.reader", "referral", "Referral"]],

    // Webmail.
    ["mail.google.com → gmail / Email", from("https://mail.google.com/mail/u/0/"), ["gmail", "referral", "Email"]],
    ["outlook.live.com → outlook / Email", from("https://outlook.live.com/mail/0/"), ["outlook", "referral", "Email"]],
    ["outlook.office.com → outlook / Email", from("https://outlook.office.com/"), ["outlook", "referral", "Email"]],
    ["mail.yahoo.com → yahoo-mail / Email", from("https://mail.yahoo.com/d/folders/1"), ["yahoo-mail", "referral", "Email"]],
    ["uk.mail.yahoo.com → yahoo-mail / Email", from("https://uk.mail.yahoo.com/"), ["yahoo-mail", "referral", "Email"]],
    ["mail.ukr.net → ukr.net / Email", from("https://mail.ukr.net/desktop"), ["ukr.net", "referral", "Email"]],
    ["e.mail.ru → mail.ru / Email", from("https://e.mail.ru/inbox/"), ["mail.ru", "referral", "Email"]],
    ["mail.yandex.ru → yandex-mail / Email (not yandex search)", from("https://mail.yandex.ru/"), ["yandex-mail", "referral", "Email"]],
    ["mail.proton.me → proton-mail / Email", from("https://mail.proton.me/u/0/inbox"), ["proton-mail", "referral", "Email"]],

    // AI assistants.
    ["gemini.google.com → gemini / AI Assistants, not google organic", from("https://gemini.google.com/app"), ["gemini", "referral", "AI Assistants"]],
    ["chatgpt.com → chatgpt / AI Assistants", from("https://chatgpt.com/"), ["chatgpt", "referral", "AI Assistants"]],
    ["chat.openai.com → chatgpt / AI Assistants", from("https://chat.openai.com/c/1"), ["chatgpt", "referral", "AI Assistants"]],
    ["perplexity.ai → perplexity / AI Assistants", from("https://www.perplexity.ai/search/x"), ["perplexity", "referral", "AI Assistants"]],
    ["copilot.microsoft.com → copilot / AI Assistants", from("https://copilot.microsoft.com/"), ["copilot", "referral", "AI Assistants"]],
    ["claude.ai → claude / AI Assistants", from("https://claude.ai/chat/1"), ["claude", "referral", "AI Assistants"]],
    ["chat.deepseek.com → deepseek / AI Assistants", from("https://chat.deepseek.com/"), ["deepseek", "referral", "AI Assistants"]],
    ["utm_source=chatgpt.com (as ChatGPT tags links) → AI Assistants", landing("?utm_source=chatgpt.com"), ["chatgpt.com", "(none)", "AI Assistants"]],

    // Search engines → engine / organic.
    ["www.google.com → google organic", from("https://www.google.com/"), ["google", "organic", "Organic Search"]],
    ["google.com.ua → google organic", from("https://www.google.com.ua/"), ["google", "organic", "Organic Search"]],
    ["google.co.uk → google organic", from("https://www.google.co.uk/search?q=x"), ["google", "organic", "Organic Search"]],
    ["www.bing.com → bing organic", from("https://www.bing.com/search?q=x"), ["bing", "organic", "Organic Search"]],
    ["ntp.msn.com (Edge new tab) → bing organic", from("https://ntp.msn.com/edge/ntp?query=x"), ["bing", "organic", "Organic Search"]],
    ["search.yahoo.com → yahoo organic", from("https://search.yahoo.com/search?p=x"), ["yahoo", "organic", "Organic Search"]],
    ["search.yahoo.co.jp → yahoo organic", from("https://search.yahoo.co.jp/search"), ["yahoo", "organic", "Organic Search"]],
    ["yandex.ru → yandex organic", from("https://yandex.ru/search/?text=x"), ["yandex", "organic", "Organic Search"]],
    ["yandex.com.tr → yandex organic", from("https://yandex.com.tr/"), ["yandex", "organic", "Organic Search"]],
    ["baidu.com → baidu organic", from("https://www.baidu.com/s?wd=x"), ["baidu", "organic", "Organic Search"]],
    ["search.seznam.cz → seznam organic", from("https://search.seznam.cz/?q=x"), ["seznam", "organic", "Organic Search"]],
    ["search.naver.com → naver organic", from("https://search.naver.com/search.naver?query=x"), ["naver", "organic", "Organic Search"]],
    ["m.search.naver.com → naver organic", from("https://m.search.naver.com/"), ["naver", "organic", "Organic Search"]],
    ["www.sogou.com → sogou organic", from("https://www.sogou.com/web?query=x"), ["sogou", "organic", "Organic Search"]],
    ["ecosia.org → ecosia organic", from("https://www.ecosia.org/search?q=x"), ["ecosia", "organic", "Organic Search"]],
    ["startpage.com → startpage organic", from("https://www.startpage.com/do/search"), ["startpage", "organic", "Organic Search"]],
    ["qwant.com → qwant organic", from("https://www.qwant.com/?q=x"), ["qwant", "organic", "Organic Search"]],
    ["duckduckgo.com → duckduckgo organic", from("https://duckduckgo.com/"), ["duckduckgo", "organic", "Organic Search"]],
    ["search.brave.com → brave organic", from("https://search.brave.com/search?q=x"), ["brave", "organic", "Organic Search"]],
    ["kagi.com → kagi organic", from("https://kagi.com/search?q=x"), ["kagi", "organic", "Organic Search"]],
    ["a host only the maintained list knows (search.lycos.com) → its engine", from("https://search.lycos.com/web/?q=x"), ["lycos", "organic", "Organic Search"]],
    ["notgoogle.com is no engine", from("https://notgoogle.com/"), ["notgoogle.com", "referral", "Referral"]],
    ["google.example.org is no engine", from("https://google.example.org/"), ["google.example.org", "referral", "Referral"]],

    // Social networks: one source per network.
    ["facebook.com → facebook", from("https://www.facebook.com/"), ["facebook", "referral", "Organic Social"]],
    ["m.facebook.com → facebook", from("https://m.facebook.com/story.php"), ["facebook", "referral", "Organic Social"]],
    ["l.facebook.com → facebook", from("https://l.facebook.com/l.php?u=x"), ["facebook", "referral", "Organic Social"]],
    ["lm.facebook.com → facebook", from("https://lm.facebook.com/l.php?u=x"), ["facebook", "referral", "Organic Social"]],
    ["web.facebook.com → facebook", from("https://web.facebook.com/"), ["facebook", "referral", "Organic Social"]],
    ["business.facebook.com → facebook", from("https://business.facebook.com/"), ["facebook", "referral", "Organic Social"]],
    ["fb.me → facebook", from("https://fb.me/abc"), ["facebook", "referral", "Organic Social"]],
    ["t.co → twitter", from("https://t.co/AbC123"), ["twitter", "referral", "Organic Social"]],
    ["x.com → twitter", from("https://x.com/someone/status/1"), ["twitter", "referral", "Organic Social"]],
    ["t.corp.com is not t.co", from("https://t.corp.com/"), ["t.corp.com", "referral", "Referral"]],
    ["l.instagram.com → instagram", from("https://l.instagram.com/?u=x"), ["instagram", "referral", "Organic Social"]],
    ["lnkd.in → linkedin", from("https://lnkd.in/abc"), ["linkedin", "referral", "Organic Social"]],
    ["www.linkedin.com → linkedin", from("https://www.linkedin.com/feed/"), ["linkedin", "referral", "Organic Social"]],
    ["old.reddit.com → reddit", from("https://old.reddit.com/r/running/"), ["reddit", "referral", "Organic Social"]],
    ["pinterest.co.uk → pinterest", from("https://www.pinterest.co.uk/pin/1/"), ["pinterest", "referral", "Organic Social"]],
    ["www.tiktok.com → tiktok", from("https://www.tiktok.com/@shop"), ["tiktok", "referral", "Organic Social"]],
    ["t.me → telegram", from("https://t.me/channel/12"), ["telegram", "referral", "Organic Social"]],
    ["web.telegram.org → telegram", from("https://web.telegram.org/k/"), ["telegram", "referral", "Organic Social"]],
    ["vk.com → vk", from("https://vk.com/wall-1_2"), ["vk", "referral", "Organic Social"]],
    ["m.youtube.com → youtube / Video", from("https://m.youtube.com/watch?v=1"), ["youtube", "referral", "Video"]],
    ["youtu.be → youtube / Video", from("https://youtu.be/abc"), ["youtube", "referral", "Video"]],
    ["en.wikipedia.org → wikipedia / Referral (maintained list)", from("https://en.wikipedia.org/wiki/Shoe"), ["wikipedia", "referral", "Referral"]],
    ["an ad network (doubleclick) → Display", from("https://ad.doubleclick.net/"), ["doubleclick", "display", "Display"]],
    ["an unknown site → its host / Referral", from("https://www.Blog.Example.org/post"), ["blog.example.org", "referral", "Referral"]],

    // Own hosts are not referrers.
    ["the landing host → direct", from("https://shop.example.com/cart"), ["(direct)", "(none)", "Direct"]],
    ["another subdomain of the landing domain → direct", from("https://checkout.example.com/thanks"), ["(direct)", "(none)", "Direct"]],
    ["the bare landing domain → direct", from("https://example.com/"), ["(direct)", "(none)", "Direct"]],
    ["localhost → direct", from("http://localhost:3000/"), ["(direct)", "(none)", "Direct"]],
    ["127.0.0.1 → direct", from("http://127.0.0.1:8080/x"), ["(direct)", "(none)", "Direct"]],
    ["::1 → direct", from("http://[::1]:3000/"), ["(direct)", "(none)", "Direct"]],
    ["a SITE_HOSTS host → direct", from("https://pay.myshop.ua/ok", SHOP, ["myshop.ua"]), ["(direct)", "(none)", "Direct"]],
    ["another shop on the same platform suffix is a referrer", from("https://other.myshopify.com/", "https://mine.myshopify.com/"), ["other.myshopify.com", "referral", "Referral"]],

    // Click ids and ref= / source= without utm_source.
    ["gclid → google / cpc", landing("?gclid=Cj0K"), ["google", "cpc", "Paid Search"]],
    ["gbraid → google / cpc", landing("?gbraid=0AAA"), ["google", "cpc", "Paid Search"]],
    ["wbraid → google / cpc", landing("?wbraid=Cl0K"), ["google", "cpc", "Paid Search"]],
    ["msclkid → bing / cpc", landing("?msclkid=abc123"), ["bing", "cpc", "Paid Search"]],
    ["ttclid → tiktok / cpc", landing("?ttclid=E.C.P.x"), ["tiktok", "cpc", "Paid Social"]],
    ["yclid → yandex / cpc", landing("?yclid=123"), ["yandex", "cpc", "Paid Search"]],
    ["msclkid wins over a bing referrer", landing("?msclkid=abc", "https://www.bing.com/"), ["bing", "cpc", "Paid Search"]],
    ["fbclid with a facebook referrer → facebook, not paid", landing("?fbclid=IwAR", "https://l.facebook.com/"), ["facebook", "referral", "Organic Social"]],
    ["fbclid alone → facebook, not paid", landing("?fbclid=IwAR"), ["facebook", "referral", "Organic Social"]],
    ["fbclid with an instagram referrer → instagram", landing("?fbclid=IwAR", "https://l.instagram.com/"), ["instagram", "referral", "Organic Social"]],
    ["ref= → utm_source with medium referral", landing("?ref=ProductHunt"), ["producthunt", "referral", "Referral"]],
    ["source= → utm_source with medium referral", landing("?source=facebook"), ["facebook", "referral", "Organic Social"]],
    ["ref= wins over the referrer", landing("?ref=partner_blog", "https://www.google.com/"), ["partner_blog", "referral", "Referral"]],
    ["utm_source wins over ref=", landing("?utm_source=news&ref=x"), ["news", "(none)", "Other"]],
    ["utm_medium kept with ref=", landing("?ref=partner&utm_medium=affiliate"), ["partner", "affiliate", "Affiliates"]],
    ["gclid wins over ref=", landing("?gclid=x&ref=y"), ["google", "cpc", "Paid Search"]],
    ["utm_source=google with gclid and no medium → Paid Search", landing("?utm_source=google&gclid=x"), ["google", "(none)", "Paid Search"]],
    ["an empty gclid is no click id", landing("?gclid=%20"), ["(direct)", "(none)", "Direct"]],

    // Channels of tagged traffic.
    ["google / cpc → Paid Search", landing("?utm_source=google&utm_medium=cpc"), ["google", "cpc", "Paid Search"]],
    ["bing / ppc → Paid Search", landing("?utm_source=bing&utm_medium=ppc"), ["bing", "ppc", "Paid Search"]],
    ["facebook / paid_social → Paid Social", landing("?utm_source=facebook&utm_medium=paid_social"), ["facebook", "paid_social", "Paid Social"]],
    ["ig / cpc → Paid Social (alias)", landing("?utm_source=ig&utm_medium=cpc"), ["ig", "cpc", "Paid Social"]],
    ["instagram / retargeting → Paid Social", landing("?utm_source=instagram&utm_medium=retargeting"), ["instagram", "retargeting", "Paid Social"]],
    ["unknown source / paid_social → Paid Social", landing("?utm_source=partner_app&utm_medium=paid_social"), ["partner_app", "paid_social", "Paid Social"]],
    ["youtube / cpv → Video", landing("?utm_source=youtube&utm_medium=cpv"), ["youtube", "cpv", "Video"]],
    ["criteo / display → Display", landing("?utm_source=criteo&utm_medium=display"), ["criteo", "display", "Display"]],
    ["x / banner → Display", landing("?utm_source=partner&utm_medium=banner"), ["partner", "banner", "Display"]],
    ["unknown source / cpc → Other (GA4's Paid Other)", landing("?utm_source=spring_flyer&utm_medium=cpc"), ["spring_flyer", "cpc", "Other"]],
    ["newsletter / email → Email", landing("?utm_source=newsletter&utm_medium=email"), ["newsletter", "email", "Email"]],
    ["esputnik / e-mail → Email", landing("?utm_source=esputnik&utm_medium=e-mail"), ["esputnik", "e-mail", "Email"]],
    ["partner / affiliate → Affiliates", landing("?utm_source=partner&utm_medium=affiliate"), ["partner", "affiliate", "Affiliates"]],
    ["turbosms / sms → SMS", landing("?utm_source=turbosms&utm_medium=sms"), ["turbosms", "sms", "SMS"]],
    ["blog / referral → Referral", landing("?utm_source=blog&utm_medium=referral"), ["blog", "referral", "Referral"]],
    ["unknown / social → Organic Social", landing("?utm_source=forum&utm_medium=social"), ["forum", "social", "Organic Social"]],
    ["unknown / organic → Organic Search", landing("?utm_source=searchx&utm_medium=organic"), ["searchx", "organic", "Organic Search"]],
    ["unknown source without medium → Other", landing("?utm_source=flyer"), ["flyer", "(none)", "Other"]],
    ["direct with utm_medium=email → Email", landing("?utm_medium=email"), ["(direct)", "email", "Email"]],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(got(input)).toEqual(expected));
  }
});

describe("click ids kept on the session", () => {
  it("keeps every id named by SPEC 17.4, trimmed, and nothing else", () => {
    const q = "?gclid=%20g1%20&gbraid=g2&wbraid=g3&dclid=d1&msclkid=m1&ttclid=t1&fbclid=f1&li_fat_id=l1&twclid=w1&yclid=y1&other=z";
    expect(deriveTrafficSource(landing(q)).clickIds).toEqual({
      gclid: "g1", gbraid: "g2", wbraid: "g3", dclid: "d1", msclkid: "m1", ttclid: "t1", fbclid: "f1", li_fat_id: "l1", twclid: "w1", yclid: "y1",
    });
  });
  it("is null when the landing URL has none", () => expect(deriveTrafficSource(landing("?utm_source=x")).clickIds).toBeNull());
  it("drops an id longer than 500 characters", () => expect(deriveTrafficSource(landing(`?fbclid=${"a".repeat(501)}&ttclid=ok`)).clickIds).toEqual({ ttclid: "ok" }));
  it("dclid alone keeps the id but names no source", () => expect(got(landing("?dclid=d1"))).toEqual(["(direct)", "(none)", "Direct"]));
});

describe("own hosts and the referrer dimension", () => {
  it("SITE_HOSTS covers subdomains but not look-alike hosts", () => expect(isOwnHost("evilmyshop.ua", undefined, ["myshop.ua"])).toBe(false));
  it("an app referrer reads as its package in the referrer dimension", () => expect(referrerHost("android-app://com.google.android.gm")).toBe("com.google.android.gm"));
  it("SITE_HOSTS comes from the configuration by default", async () => {
    const { withConfig } = await import("../helpers/config");
    const answer = await withConfig({ SITE_HOSTS: "pay.example.net" }, () => got({ landingUrl: SHOP, referrer: "https://pay.example.net/done" }));
    expect(answer).toEqual(["(direct)", "(none)", "Direct"]);
  });
});

describe("channelOf on stored values", () => {
  it("a host stored as a referral source before SPEC 17.4 reads as its network", () => expect(channelOf({ source: "l.facebook.com", medium: "referral" })).toBe("Organic Social"));
  it("(direct) / (not set) is Direct", () => expect(channelOf({ source: "(direct)", medium: "(not set)" })).toBe("Direct"));
  it("a paid click id with no medium is paid", () => expect(channelOf({ source: "bing", medium: "(none)", clickIds: { msclkid: "1" } })).toBe("Paid Search"));
  it("fbclid with no medium is not paid", () => expect(channelOf({ source: "facebook", medium: "(none)", clickIds: { fbclid: "1" } })).toBe("Organic Social"));
});
