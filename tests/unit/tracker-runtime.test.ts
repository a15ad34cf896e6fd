import { webcrypto } from "node:crypto";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { parseCollectBody } from "@/lib/ingest/collect";
import { readFileSync } from "node:fs";
import { TRACKER_JS } from "@/lib/tracker/built";
import { TRACK_EXAMPLE, trackerSnippet } from "@/lib/tracker/snippet";

/**
 * Runs the built /t.js in a minimal fake browser (a vm context with location, document, history,
 * storage, sendBeacon/fetch) and inspects what it sends. Storage and cookies live in a `Profile`
 * shared across page loads, like a real browser profile, so session and visitor persistence can
 * be checked across "page loads" at controlled clock times.
 */

type Sent = { via: "beacon" | "fetch"; url: string; contentType: string; body: Record<string, unknown>; init?: RequestInit };

class Profile {
  storage = new Map<string, string>();
  cookies = new Map<string, string>();
  cookieWrites: string[] = [];
  now = Date.UTC(2025, 0, 6, 10, 0, 0);
}

type PageOptions = {
  referrer?: string;
  scriptSrc?: string;
  attrs?: Record<string, string>;
  beacon?: "ok" | "refuse" | "absent";
  fetchStatus?: number;
  randomUUID?: boolean;
  storageThrows?: boolean;
  cookieThrows?: boolean;
  /** Page scripts that run before t.js has loaded (the snippet's inline scripts). */
  before?: string[];
  /** Load t.js a second time after the first. */
  twice?: boolean;
};

function openPage(profile: Profile, href: string, opts: PageOptions = {}) {
  let url = new URL(href);
  const raw: Promise<Sent>[] = [];
  const listeners = new Map<string, (() => void)[]>();
  const hostCalls: string[] = [];

  const location = {
    get href() {
      return url.href;
    },
    get search() {
      return url.search;
    },
    get protocol() {
      return url.protocol;
    },
  };
  const storage = {
    getItem: (k: string) => {
      if (opts.storageThrows) throw new Error("SecurityError");
      return profile.storage.get(k) ?? null;
    },
    setItem: (k: string, v: string) => {
      if (opts.storageThrows) throw new Error("SecurityError");
      profile.storage.set(k, String(v));
    },
  };
  const document = {
    referrer: opts.referrer ?? "",
    currentScript: {
      src: opts.scriptSrc ?? "https://app.example/t.js",
      getAttribute: (n: string) => opts.attrs?.[n] ?? null,
    },
    querySelector: () => null,
    get cookie() {
      if (opts.cookieThrows) throw new Error("SecurityError");
      return [...profile.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    },
    set cookie(v: string) {
      if (opts.cookieThrows) throw new Error("SecurityError");
      profile.cookieWrites.push(v);
      const [pair] = v.split(";");
      const i = pair.indexOf("=");
      profile.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    },
  };
  const history = {
    pushState(_s: unknown, _t: string, u?: string) {
      hostCalls.push("push");
      if (u) url = new URL(u, url);
      return "host-push-result";
    },
    replaceState(_s: unknown, _t: string, u?: string) {
      hostCalls.push("replace");
      if (u) url = new URL(u, url);
    },
  };
  const decode = async (via: Sent["via"], target: string, blobOrBody: Blob | string, contentType: string, init?: RequestInit): Promise<Sent> => {
    const text = typeof blobOrBody === "string" ? blobOrBody : await blobOrBody.text();
    return { via, url: target, contentType, body: JSON.parse(text) as Record<string, unknown>, init };
  };
  const navigator: Record<string, unknown> = {};
  if ((opts.beacon ?? "ok") !== "absent") {
    navigator.sendBeacon = (target: string, blob: Blob) => {
      if (opts.beacon === "refuse") return false;
      raw.push(decode("beacon", target, blob, blob.type));
      return true;
    };
  }
  const fetch = (target: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    raw.push(decode("fetch", target, init.body as string, headers["Content-Type"], init));
    return Promise.resolve({ status: opts.fetchStatus ?? 202 });
  };
  const crypto = {
    getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a),
    ...(opts.randomUUID === false ? {} : { randomUUID: () => webcrypto.randomUUID() }),
  };
  class FakeDate extends Date {
    static now() {
      return profile.now;
    }
  }

  const ctx: Record<string, unknown> = {
    location,
    document,
    history,
    navigator,
    fetch,
    crypto,
    Date: FakeDate,
    URL,
    URLSearchParams,
    Blob,
    addEventListener: (type: string, fn: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
  };
  Object.defineProperty(ctx, "localStorage", { get: () => storage });
  ctx.window = ctx;
  vm.createContext(ctx);
  for (const code of opts.before ?? []) vm.runInContext(code, ctx);
  vm.runInContext(TRACKER_JS, ctx);
  if (opts.twice) vm.runInContext(TRACKER_JS, ctx);

  type Utmd = { visitorId: string; sessionId: string; track: (type: unknown, props?: unknown) => void };
  return {
    utmd: ctx.utmd as Utmd,
    history: ctx.history as typeof history,
    hostCalls,
    sent: () => Promise.all(raw),
    /** Runs page code after t.js has loaded (dataLayer pushes, gtag calls). */
    run: (code: string): unknown => vm.runInContext(code, ctx),
    popTo(u: string) {
      url = new URL(u, url);
      for (const fn of listeners.get("popstate") ?? []) fn();
    },
  };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MIN = 60_000;

describe("tracker: what a page load sends", () => {
  it("sends one page_view beacon with the SPEC 2.2 body to the script's own origin", async () => {
    const p = new Profile();
    const page = openPage(p, "https://shop.example/?utm_source=Facebook&utm_campaign=spring_sale", {
      referrer: "https://www.facebook.com/",
    });
    const [first, ...rest] = await page.sent();
    expect(rest).toHaveLength(0);
    expect(first.via).toBe("beacon");
    expect(first.url).toBe("https://app.example/api/collect");
    expect(first.contentType).toBe("text/plain");
    const b = first.body;
    expect(Object.keys(b).sort()).toEqual(["event_id", "referrer", "session_id", "type", "url", "visitor_id"]);
    expect(b.type).toBe("page_view");
    expect(b.url).toBe("https://shop.example/?utm_source=Facebook&utm_campaign=spring_sale");
    expect(b.referrer).toBe("https://www.facebook.com/");
    expect(b.event_id).toMatch(UUID_V4);
    expect(b.session_id).toMatch(UUID_V4);
    expect(b.visitor_id).toMatch(UUID_V4);
    // The shop reads the same id from window.utmd and from its first-party cookie.
    expect(page.utmd.visitorId).toBe(b.visitor_id);
    expect(page.utmd.sessionId).toBe(b.session_id);
    expect(p.cookies.get("utmd_vid")).toBe(b.visitor_id);
    expect(p.storage.get("utmd_vid")).toBe(b.visitor_id);
    // 1 year = 365 × 86,400 s = 31,536,000 s; https pages get a Secure cookie.
    expect(p.cookieWrites[0]).toBe(`utmd_vid=${b.visitor_id}; path=/; max-age=31536000; SameSite=Lax; Secure`);
  });

  it("honours data-endpoint and data-cookie-domain", async () => {
    const p = new Profile();
    const page = openPage(p, "http://shop.example/", {
      attrs: { "data-endpoint": "https://collect.example/api/collect", "data-cookie-domain": ".shop.example" },
    });
    const [first] = await page.sent();
    expect(first.url).toBe("https://collect.example/api/collect");
    expect(p.cookieWrites[0]).toBe(`utmd_vid=${page.utmd.visitorId}; path=/; max-age=31536000; SameSite=Lax; domain=.shop.example`);
  });
});

describe("tracker: events and SPA navigation", () => {
  it("tracks funnel events, a custom event and page_views on pushState/popstate, once per URL", async () => {
    const p = new Profile();
    const page = openPage(p, "https://shop.example/p/a1", { referrer: "https://google.com/" });
    page.utmd.track("add_to_cart", { sku: "A1" });
    const ret = page.history.pushState({}, "", "/cart");
    page.history.replaceState({ scroll: 1 }, "", "/cart"); // state-only update: not a page view
    page.history.pushState({}, "", "/cart#totals"); // hash change: not a page view
    page.utmd.track("checkout_start");
    page.utmd.track("newsletter_signup", { plan: "pro" });
    page.utmd.track("custom", { name: "chat_opened" });
    page.utmd.track("custom");
    page.popTo("/p/a1");

    const sent = (await page.sent()).map((s) => s.body);
    expect(sent.map((b) => [b.type, b.name ?? null])).toEqual([
      ["page_view", null],
      ["add_to_cart", null],
      ["page_view", null],
      ["checkout_start", null],
      ["custom", "newsletter_signup"],
      ["custom", "chat_opened"],
      ["custom", "custom"],
      ["page_view", null],
    ]);
    expect(sent[1].properties).toEqual({ sku: "A1" });
    expect(sent[2].url).toBe("https://shop.example/cart");
    expect(sent[4].properties).toEqual({ plan: "pro" });
    expect(sent[7].url).toBe("https://shop.example/p/a1");
    // Referrer only on the page load's first event; one session, one visitor, distinct event ids.
    expect(sent.filter((b) => "referrer" in b)).toHaveLength(1);
    expect(new Set(sent.map((b) => b.session_id)).size).toBe(1);
    expect(new Set(sent.map((b) => b.visitor_id)).size).toBe(1);
    expect(new Set(sent.map((b) => b.event_id)).size).toBe(8);
    // The host's history methods still run and return their own results.
    expect(ret).toBe("host-push-result");
    expect(page.hostCalls).toEqual(["push", "replace", "push"]);
    // Every body is one the collector accepts (SPEC 2.2 schema, as /api/collect parses it).
    for (const b of sent) expect(() => parseCollectBody(b)).not.toThrow();
  });

  it("drops properties over 2 KB of UTF-8 (or not an object) but still sends the event", async () => {
    const page = openPage(new Profile(), "https://shop.example/");
    // {"t":"…"} is 8 bytes + the text; "ї" is 2 bytes in UTF-8. 1,000 × "ї" → 8 + 2,000 = 2,008 ≤ 2,048: kept.
    page.utmd.track("product_view", { t: "ї".repeat(1000) });
    // 1,100 × "ї" → 1,108 characters, but 8 + 2,200 = 2,208 bytes > 2,048: dropped.
    page.utmd.track("product_view", { t: "ї".repeat(1100) });
    page.utmd.track("product_view", ["not", "an", "object"]);
    const [, fits, tooBig, list] = (await page.sent()).map((s) => s.body);
    expect(fits.properties).toEqual({ t: "ї".repeat(1000) });
    expect(tooBig.type).toBe("product_view");
    expect(tooBig).not.toHaveProperty("properties");
    expect(list.type).toBe("product_view");
    expect(list).not.toHaveProperty("properties");
  });
});

describe("tracker: sessions and visitors across page loads", () => {
  it("keeps the session within 30 minutes of activity and rotates it after 30 idle minutes", async () => {
    const p = new Profile();
    const a = openPage(p, "https://shop.example/");
    p.now += 29 * MIN;
    const b = openPage(p, "https://shop.example/about");
    p.now += 29 * MIN; // 58 min after the first load, but only 29 after the last activity
    const c = openPage(p, "https://shop.example/contact");
    p.now += 31 * MIN;
    const d = openPage(p, "https://shop.example/");
    expect(b.utmd.sessionId).toBe(a.utmd.sessionId);
    expect(c.utmd.sessionId).toBe(a.utmd.sessionId);
    expect(d.utmd.sessionId).not.toBe(a.utmd.sessionId);
    expect(d.utmd.sessionId).toMatch(UUID_V4);
    expect(new Set([a, b, c, d].map((x) => x.utmd.visitorId)).size).toBe(1);
  });

  it("starts a new session when the page opens with different UTM tags, not with the same ones or none", async () => {
    const p = new Profile();
    const a = openPage(p, "https://shop.example/?utm_source=Facebook&utm_campaign=spring_sale&utm_content=video_a");
    const same = openPage(p, "https://shop.example/x?utm_source=facebook&utm_campaign=spring_sale&utm_content=video_a");
    const none = openPage(p, "https://shop.example/y");
    const other = openPage(p, "https://shop.example/?utm_source=facebook&utm_campaign=spring_sale&utm_content=video_b");
    expect(same.utmd.sessionId).toBe(a.utmd.sessionId); // source compared lower-cased
    expect(none.utmd.sessionId).toBe(a.utmd.sessionId);
    expect(other.utmd.sessionId).not.toBe(a.utmd.sessionId);
    // A later page of the new campaign visit stays in it.
    other.history.pushState({}, "", "/cart");
    const bodies = (await other.sent()).map((s) => s.body);
    expect(bodies.map((b) => b.session_id)).toEqual([other.utmd.sessionId, other.utmd.sessionId]);
  });

  it("reads the visitor id from the cookie first, and restores it from localStorage when the cookie is gone", async () => {
    const p = new Profile();
    p.cookies.set("utmd_vid", "shop-known-visitor");
    p.storage.set("utmd_vid", "older-visitor");
    expect(openPage(p, "https://shop.example/").utmd.visitorId).toBe("shop-known-visitor");
    p.cookies.clear();
    const page = openPage(p, "https://shop.example/");
    expect(page.utmd.visitorId).toBe("shop-known-visitor");
    expect(p.cookies.get("utmd_vid")).toBe("shop-known-visitor");
  });
});

describe("tracker: transport and robustness", () => {
  it("falls back to fetch keepalive POST when sendBeacon is missing or refuses", async () => {
    for (const beacon of ["absent", "refuse"] as const) {
      const page = openPage(new Profile(), "http://shop.example/", { beacon, scriptSrc: "http://127.0.0.1:3200/t.js" });
      const [first] = await page.sent();
      expect(first.via).toBe("fetch");
      expect(first.url).toBe("http://127.0.0.1:3200/api/collect");
      expect(first.contentType).toBe("text/plain");
      expect(first.init?.method).toBe("POST");
      expect(first.init?.keepalive).toBe(true);
      expect(first.body.type).toBe("page_view");
    }
  });

  it("keeps events refused with 503 and re-sends them (same event_id) with the next event", async () => {
    const p = new Profile();
    const down = openPage(p, "https://shop.example/", { beacon: "absent", fetchStatus: 503 });
    const [lost] = await down.sent();
    await new Promise((r) => setTimeout(r, 0)); // let the 503 handler store it
    expect(JSON.parse(p.storage.get("utmd_q") ?? "[]")).toHaveLength(1);
    const up = openPage(p, "https://shop.example/next", { beacon: "absent" });
    const resent = (await up.sent()).map((s) => s.body);
    expect(resent.map((b) => b.event_id)).toEqual([lost.body.event_id, expect.stringMatching(UUID_V4)]);
    expect(resent[1].url).toBe("https://shop.example/next");
    expect(p.storage.get("utmd_q")).toBe("[]");
  });

  it("builds RFC 4122 v4 ids without crypto.randomUUID (plain-http pages)", async () => {
    const page = openPage(new Profile(), "http://shop.example/", { randomUUID: false });
    const [first] = await page.sent();
    expect(first.body.event_id).toMatch(UUID_V4);
    expect(first.body.session_id).toMatch(UUID_V4);
    expect(page.utmd.visitorId).toMatch(UUID_V4);
  });

  it("works without localStorage (cookie only) and never throws when cookies are blocked too", async () => {
    const p = new Profile();
    const noStorage = openPage(p, "https://shop.example/", { storageThrows: true });
    const [first] = await noStorage.sent();
    expect(first.body.visitor_id).toBe(p.cookies.get("utmd_vid"));

    const blocked = openPage(new Profile(), "https://shop.example/", { cookieThrows: true, storageThrows: true });
    expect(() => blocked.utmd.track("add_to_cart", { sku: "A1" })).not.toThrow();
    expect(blocked.utmd.visitorId).toBe("");
    expect(blocked.history.pushState({}, "", "/x")).toBe("host-push-result");
  });

  it("ignores hostile arguments to track instead of throwing", async () => {
    const page = openPage(new Profile(), "https://shop.example/");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => page.utmd.track("add_to_cart", circular)).not.toThrow();
    expect(() => page.utmd.track(Symbol("x"))).not.toThrow();
    expect(() => page.utmd.track(undefined, null)).not.toThrow();
    page.utmd.track("add_to_cart", { sku: "A1" });
    const sent = (await page.sent()).map((s) => s.body);
    // The circular, symbol and undefined calls are dropped; the tracker keeps working after them.
    expect(sent.map((b) => [b.type, b.properties ?? null])).toEqual([
      ["page_view", null],
      ["add_to_cart", { sku: "A1" }],
    ]);
  });
});

/** The README's tracker snippet, between its markers, without the code fence. */
function readmeSnippet(): string {
  const readme = readFileSync("README.md", "utf8");
  const m = /<!-- tracker-snippet:start -->\n```html\n([\s\S]*?)\n```\n<!-- tracker-snippet:end -->/.exec(readme);
  if (!m) throw new Error("README.md has no tracker-snippet markers");
  return m[1];
}

/** The inline scripts of a snippet, in order (the `<script src>` tag is the tracker itself). */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

describe("tracker: the snippet's stub queues calls made before t.js has loaded (SPEC 16)", () => {
  it("the README snippet is the dashboard's snippet (lib/tracker/snippet.ts) for https://YOUR-APP", () => {
    expect(readmeSnippet()).toBe(trackerSnippet("https://YOUR-APP"));
    expect(trackerSnippet("https://app.example/")).toContain('<script async src="https://app.example/t.js"></script>');
  });

  it("replays the queued calls in order after the page view, then replaces the stub", async () => {
    const scripts = inlineScripts(readmeSnippet());
    expect(scripts).toHaveLength(1); // the stub only: the snippet goes on every page and sends page views only
    // The product page's own call (TRACK_EXAMPLE) and more, all made before t.js loads.
    const early = [...inlineScripts(TRACK_EXAMPLE), "utmd.track('add_to_cart', { sku: 'B2' }); utmd.track('newsletter_signup');"].join("\n");
    const page = openPage(new Profile(), "https://shop.example/p/a1", { before: [...scripts, early], referrer: "https://google.com/" });
    const sent = (await page.sent()).map((s) => s.body);
    expect(sent.map((b) => [b.type, b.name ?? null, b.properties ?? null])).toEqual([
      ["page_view", null, null],
      ["product_view", null, { sku: "A1" }],
      ["add_to_cart", null, { sku: "B2" }],
      ["custom", "newsletter_signup", {}],
    ]);
    // The referrer goes with the page view (the session's first event) only.
    expect(sent.filter((b) => "referrer" in b).map((b) => b.type)).toEqual(["page_view"]);
    // window.utmd is now the real API: no queue, and calls are sent at once.
    expect(page.utmd.visitorId).toBe(sent[0].visitor_id);
    expect((page.utmd as unknown as { q?: unknown }).q).toBeUndefined();
    page.utmd.track("checkout_start");
    expect((await page.sent()).map((s) => s.body.type).slice(4)).toEqual(["checkout_start"]);
  });

  it("a second copy of t.js after the stub was replaced does nothing", async () => {
    const page = openPage(new Profile(), "https://shop.example/", { before: [...inlineScripts(readmeSnippet()), ...inlineScripts(TRACK_EXAMPLE)], twice: true });
    expect((await page.sent()).map((s) => s.body.type)).toEqual(["page_view", "product_view"]);
  });
});

describe("tracker: thank-you pages send purchase by themselves (SPEC 17.2)", () => {
  const purchases = async (page: ReturnType<typeof openPage>) =>
    (await page.sent()).map((s) => s.body).filter((b) => b.type === "purchase");

  it("WooCommerce's order-received page (pretty and plain permalinks), once per order", async () => {
    const p = new Profile();
    const thanks = openPage(p, "https://shop.example/checkout/order-received/4321/?key=wc_order_AbC");
    const sent = (await thanks.sent()).map((s) => s.body);
    // The page view first, then the purchase with that order id alone (no properties).
    expect(sent.map((b) => [b.type, b.order_id ?? null])).toEqual([
      ["page_view", null],
      ["purchase", "4321"],
    ]);
    expect(sent[1]).not.toHaveProperty("properties");
    expect(sent[1].session_id).toBe(sent[0].session_id);
    for (const b of sent) expect(() => parseCollectBody(b)).not.toThrow();
    // Reloading the thank-you page is no new order.
    expect(await purchases(openPage(p, "https://shop.example/checkout/order-received/4321/?key=wc_order_AbC"))).toEqual([]);
    expect(JSON.parse(p.storage.get("utmd_o") ?? "[]")).toEqual(["4321"]);
    const plain = await purchases(openPage(p, "https://shop.example/?page_id=7&order-received=99&key=wc_order_x"));
    expect(plain.map((b) => b.order_id)).toEqual(["99"]);
    // The checkout itself and other pages are no thank-you page.
    expect(await purchases(openPage(p, "https://shop.example/checkout/"))).toEqual([]);
    expect(await purchases(openPage(p, "https://shop.example/my-account/orders/"))).toEqual([]);
  });

  it("Shopify's thank_you and order status pages with Shopify.checkout.order_id, once per order", async () => {
    const p = new Profile();
    const shopify = (id: unknown) => [`window.Shopify = { checkout: { order_id: ${JSON.stringify(id)}, total_price: "250.00" } };`];
    const thanks = openPage(p, "https://shop.example/1234/checkouts/abcd/thank_you", { before: shopify(5512345678) });
    expect((await purchases(thanks)).map((b) => b.order_id)).toEqual(["5512345678"]);
    // The order status page of the same order, later: already sent.
    expect(await purchases(openPage(p, "https://shop.example/1234/orders/f00dfeed", { before: shopify(5512345678) }))).toEqual([]);
    const other = openPage(p, "https://shop.example/1234/orders/beefcafe", { before: shopify(5512345679) });
    expect((await purchases(other)).map((b) => b.order_id)).toEqual(["5512345679"]);
    // A checkout step (no order yet), and a thank-you path without Shopify.checkout: nothing.
    expect(await purchases(openPage(p, "https://shop.example/1234/checkouts/abcd/thank_you", { before: shopify(null) }))).toEqual([]);
    expect(await purchases(openPage(p, "https://shop.example/1234/checkouts/abcd", { before: shopify(5512345670) }))).toEqual([]);
    expect(await purchases(openPage(p, "https://shop.example/pages/thank_you"))).toEqual([]);
  });

  it("utmd.track('purchase', {order_id}) goes through the same once-per-order rule", async () => {
    const p = new Profile();
    const page = openPage(p, "https://shop.example/done");
    page.utmd.track("purchase", { order_id: "A-7", value: 12 });
    page.utmd.track("purchase", { order_id: "A-7", value: 12 });
    page.utmd.track("purchase", {}); // no order id: nothing to link
    const got = await purchases(page);
    expect(got.map((b) => [b.order_id, b.properties])).toEqual([["A-7", { order_id: "A-7", value: 12 }]]);
    expect(() => parseCollectBody(got[0])).not.toThrow();
  });
});

describe("tracker: data-datalayer reads GA4 e-commerce from window.dataLayer (SPEC 17.3)", () => {
  const GTAG = "function gtag(){ dataLayer.push(arguments); }";

  it("entries already there and later pushes, object and gtag style, mapped to the funnel events", async () => {
    const p = new Profile();
    const page = openPage(p, "https://shop.example/p/a1", {
      attrs: { "data-datalayer": "" },
      before: [
        `window.dataLayer = [{ "gtm.start": 1, event: "gtm.js" },
          { event: "view_item", ecommerce: { currency: "UAH", value: 10, items: [{ item_id: "A1", price: 10 }] } }];`,
      ],
    });
    page.run(GTAG);
    const ret = page.run(`[
      dataLayer.push({ event: "add_to_cart", ecommerce: { currency: "UAH", value: 20, items: [{ item_id: "A1", quantity: 2 }] } }),
      dataLayer.push({ ecommerce: null }),
      (gtag("js", new Date()), gtag("config", "G-TEST"), gtag("event", "begin_checkout", { currency: "UAH", value: 20 })),
      gtag("event", "purchase", { transaction_id: "T-1001", value: 20, currency: "UAH", tax: 1 }),
      dataLayer.push({ event: "purchase", ecommerce: { transaction_id: "T-1001", value: 20, currency: "UAH" } }),
      dataLayer.push({ event: "purchase", ecommerce: { transaction_id: 1002, value: 5 } }, { event: "constructor" }, null, "x", 7),
      dataLayer.push({ event: "purchase", ecommerce: { value: 5 } }),
      dataLayer.length,
    ]`) as unknown[];
    // The host's push still stores the entries and answers the new length: 2 at load, then
    // 3, 4 (the {ecommerce: null} reset), 5–8 (gtag js, config, begin_checkout, purchase), 9, 14, 15.
    expect(ret).toEqual([3, 4, undefined, undefined, 9, 14, 15, 15]);
    const sent = (await page.sent()).map((s) => s.body);
    expect(sent.map((b) => [b.type, b.order_id ?? null, b.properties ?? null])).toEqual([
      ["page_view", null, null],
      ["product_view", null, { currency: "UAH", value: 10 }],
      ["add_to_cart", null, { currency: "UAH", value: 20 }],
      ["checkout_start", null, { currency: "UAH", value: 20 }],
      ["purchase", "T-1001", { currency: "UAH", value: 20 }],
      // The same transaction pushed again is not sent again; a numeric id is sent as a string.
      ["purchase", "1002", { value: 5 }],
    ]);
    expect(new Set(sent.map((b) => b.session_id)).size).toBe(1);
    for (const b of sent) expect(() => parseCollectBody(b)).not.toThrow();
  });

  it("window.utmdConfig = {datalayer: true} does the same for tag managers that cannot set attributes; without either the dataLayer is left alone", async () => {
    const withConfig = openPage(new Profile(), "https://shop.example/", {
      before: ['window.utmdConfig = { datalayer: true }; window.dataLayer = [{ event: "view_item", ecommerce: { value: 3 } }];'],
    });
    withConfig.run('dataLayer.push({ event: "begin_checkout", ecommerce: {} })');
    expect((await withConfig.sent()).map((s) => s.body.type)).toEqual(["page_view", "product_view", "checkout_start"]);

    const off = openPage(new Profile(), "https://shop.example/", { before: ['window.dataLayer = [{ event: "view_item", ecommerce: { value: 3 } }];'] });
    expect(off.run("dataLayer.push === Array.prototype.push")).toBe(true);
    off.run('dataLayer.push({ event: "purchase", ecommerce: { transaction_id: "T-9" } })');
    expect((await off.sent()).map((s) => s.body.type)).toEqual(["page_view"]);
  });

  it("a dataLayer that is not an array, or hostile entries, never break the page", async () => {
    const page = openPage(new Profile(), "https://shop.example/", {
      attrs: { "data-datalayer": "" },
      before: ['window.dataLayer = [{ get event() { throw new Error("boom"); } }, { event: "purchase", ecommerce: { transaction_id: { toString: null } } }];'],
    });
    expect(() => page.run('dataLayer.push({ event: "view_item", ecommerce: { get value() { throw new Error("boom"); } } })')).not.toThrow();
    expect(() => page.run('dataLayer.push({ event: "view_item" })')).not.toThrow();
    expect((await page.sent()).map((s) => s.body.type)).toEqual(["page_view", "product_view"]);
    page.utmd.track("add_to_cart");
    expect((await page.sent()).map((s) => s.body.type)).toEqual(["page_view", "product_view", "add_to_cart"]);

    const notArray = openPage(new Profile(), "https://shop.example/", { attrs: { "data-datalayer": "" }, before: ["window.dataLayer = { push: 1 };"] });
    notArray.utmd.track("add_to_cart");
    expect(notArray.utmd.visitorId).toMatch(UUID_V4);
    expect((await notArray.sent()).map((s) => s.body.type)).toEqual(["page_view", "add_to_cart"]);
  });
});
