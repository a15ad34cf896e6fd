import { webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import vm from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCollectBody } from "@/lib/ingest/collect";
import { customPixelCode } from "@/lib/integrations/shopify-pixel";
import { buildPixelSource, PIXEL_MODULE, renderPixelModule } from "@/scripts/build-tracker";

/**
 * The Shopify pixel (SPEC 17.1), both installs, run in node's vm with the Standard API objects as
 * Shopify documents them (analytics.subscribe, browser.cookie / localStorage / sendBeacon returning
 * promises, init.context.document), against a local collect server that records what arrives:
 *   - the custom pixel: customPixelCode(appUrl), where analytics/browser/init are globals;
 *   - the app extension: src/index.ts bundled with the real @shopify/web-pixels-extension, whose
 *     `register` hands the same API (plus settings.appUrl) through the global `shopify.extend`.
 */

type Body = Record<string, unknown>;
type Received = { method: string; url: string; contentType: string; body: Body };

const received: Received[] = [];
let server: Server;
let appUrl = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (text += c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", contentType: req.headers["content-type"] ?? "", body: JSON.parse(text) as Body });
      res.writeHead(202, { "content-type": "application/json", "access-control-allow-origin": "*" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received.length = 0;
});

/** The browser profile the pixel's browser.* API reads and writes (the top frame's storage). */
class Profile {
  storage = new Map<string, string>();
  cookies = new Map<string, string>();
  cookieWrites: string[] = [];
  now = Date.UTC(2026, 2, 2, 10, 0, 0);
}

type Handler = (event: unknown) => void;

/** The Standard API objects of one page load, and a way to emit Shopify's events on it. */
function shopifyPage(profile: Profile, href: string, referrer = "") {
  const handlers = new Map<string, Handler[]>();
  const doc = (u: string, r = referrer) => ({ location: new URL(u), referrer: r, title: "Shop", characterSet: "UTF-8" });
  const analytics = {
    subscribe: (name: string, fn: Handler) => {
      handlers.set(name, [...(handlers.get(name) ?? []), fn]);
      return () => true;
    },
  };
  const browser = {
    cookie: {
      get: async (name?: string) => (name ? (profile.cookies.get(name) ?? "") : ""),
      set: async (cookieOrName: string, value?: string) => {
        const text = value === undefined ? cookieOrName : `${cookieOrName}=${value}`;
        profile.cookieWrites.push(text);
        const [pair] = text.split(";");
        const i = pair.indexOf("=");
        profile.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
        return text;
      },
    },
    localStorage: {
      getItem: async (k: string) => profile.storage.get(k) ?? null,
      setItem: async (k: string, v: unknown) => void profile.storage.set(k, String(v)),
      removeItem: async (k: string) => void profile.storage.delete(k),
      clear: async () => profile.storage.clear(),
      key: async () => null,
      length: async () => profile.storage.size,
    },
    sessionStorage: {},
    sendBeacon: async () => true,
  };
  const init = { context: { document: doc(href), navigator: {}, window: {} }, data: { customer: null, cart: null } };
  let seq = 0;
  const emit = (name: string, data: unknown = {}, at: string = href) => {
    for (const fn of handlers.get(name) ?? [])
      fn({ id: `sh-${++seq}`, name, type: "standard", timestamp: new Date(profile.now).toISOString(), clientId: "c1", seq, context: { document: doc(at) }, data });
  };
  class FakeDate extends Date {
    static now() {
      return profile.now;
    }
  }
  const globals = { analytics, browser, init, fetch, URL, URLSearchParams, crypto: webcrypto, Date: FakeDate, console };
  return { globals, emit, handlers };
}

/** Waits until `n` bodies have arrived (the pixel sends asynchronously, one event after another). */
async function arrived(n: number): Promise<Body[]> {
  for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 30)); // and no more than n
  return received.map((r) => r.body);
}

function runCustomPixel(page: ReturnType<typeof shopifyPage>, url = appUrl) {
  const ctx = vm.createContext({ ...page.globals });
  vm.runInContext(customPixelCode(url), ctx);
  return ctx;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MIN = 60_000;
const variant = { id: "gid://shopify/ProductVariant/111", sku: "TEE-M", title: "M", price: { amount: 25.5, currencyCode: "UAH" }, product: { id: "gid://shopify/Product/11", title: "Tee" } };

describe("Shopify custom pixel (customPixelCode) against a local collect server", () => {
  it("the committed lib/integrations/shopify-pixel-built.ts matches pixel.ts (run npm run build:tracker)", async () => {
    expect(readFileSync(PIXEL_MODULE, "utf8")).toBe(renderPixelModule(await buildPixelSource()));
  });

  it("sends the five events as collect bodies: page URL, referrer, visitor, session, purchase with the order id", async () => {
    const p = new Profile();
    const landing = "https://shop.example/products/tee?utm_source=Facebook&utm_medium=cpc&utm_campaign=spring&fbclid=IwAR1";
    const page = shopifyPage(p, landing, "https://www.facebook.com/");
    runCustomPixel(page);
    page.emit("page_viewed", {}, landing);
    page.emit("product_viewed", { productVariant: variant }, landing);
    page.emit("product_added_to_cart", { cartLine: { quantity: 2, merchandise: variant, cost: { totalAmount: { amount: 51, currencyCode: "UAH" } } } }, landing);
    const checkoutUrl = "https://shop.example/checkouts/cn/Z2NwLWV1/information";
    page.emit("checkout_started", { checkout: { token: "t1", currencyCode: "UAH", totalPrice: { amount: 51, currencyCode: "UAH" }, order: null } }, checkoutUrl);
    const thanks = "https://shop.example/checkouts/cn/Z2NwLWV1/thank-you";
    page.emit("checkout_completed", { checkout: { token: "t1", currencyCode: "UAH", totalPrice: { amount: 51, currencyCode: "UAH" }, order: { id: "gid://shopify/Order/5512345678", customer: null } } }, thanks);
    const bodies = await arrived(5);
    expect(received.map((r) => [r.method, r.url, r.contentType])).toEqual(Array(5).fill(["POST", "/api/collect", "text/plain"]));

    expect(bodies.map((b) => b.type)).toEqual(["page_view", "product_view", "add_to_cart", "checkout", "purchase"]);
    expect(bodies.map((b) => b.url)).toEqual([landing, landing, landing, checkoutUrl, thanks]);
    // The referrer goes with page views only; the order id with the purchase only.
    expect(bodies.map((b) => b.referrer ?? null)).toEqual(["https://www.facebook.com/", null, null, null, null]);
    expect(bodies.map((b) => b.order_id ?? null)).toEqual([null, null, null, null, "5512345678"]);
    expect(bodies.map((b) => b.properties ?? null)).toEqual([
      null,
      { sku: "TEE-M", product_id: "gid://shopify/Product/11", variant_id: "gid://shopify/ProductVariant/111", value: 25.5, currency: "UAH" },
      { sku: "TEE-M", product_id: "gid://shopify/Product/11", variant_id: "gid://shopify/ProductVariant/111", quantity: 2, value: 51, currency: "UAH" },
      { value: 51, currency: "UAH" },
      { value: 51, currency: "UAH" },
    ]);
    // One visitor and one session (the checkout URL has no UTM tags: same visit), distinct events.
    const vid = bodies[0].visitor_id as string;
    expect(vid).toMatch(UUID_V4);
    expect(new Set(bodies.map((b) => b.visitor_id))).toEqual(new Set([vid]));
    expect(new Set(bodies.map((b) => b.session_id)).size).toBe(1);
    expect(bodies[0].session_id).toMatch(UUID_V4);
    expect(new Set(bodies.map((b) => b.event_id)).size).toBe(5);
    // Kept where t.js keeps them: cookie utmd_vid (1 year = 31,536,000 s) and localStorage.
    expect(p.cookieWrites).toEqual([`utmd_vid=${vid}; path=/; max-age=31536000; SameSite=Lax; Secure`]);
    expect(p.storage.get("utmd_vid")).toBe(vid);
    expect(JSON.parse(p.storage.get("utmd_sid")!).id).toBe(bodies[0].session_id);
    // Every body is one /api/collect accepts (`checkout` is checkout_start there).
    const parsed = bodies.map((b) => parseCollectBody(structuredClone(b)));
    expect(parsed.map((e) => e.type)).toEqual(["page_view", "product_view", "add_to_cart", "checkout_start", "purchase"]);
    expect(parsed[4].order_id).toBe("5512345678");
  });

  it("rotates the session like t.js: 30 idle minutes or new UTM tags; keeps the visitor; the cookie's visitor id wins", async () => {
    const p = new Profile();
    p.cookies.set("utmd_vid", "theme-visitor-1");
    p.storage.set("utmd_vid", "older");
    const a = shopifyPage(p, "https://shop.example/?utm_source=google&utm_medium=cpc&gclid=abc");
    runCustomPixel(a);
    a.emit("page_viewed");
    await arrived(1);
    p.now += 29 * MIN;
    const b = shopifyPage(p, "https://shop.example/collections/all");
    runCustomPixel(b);
    b.emit("page_viewed");
    await arrived(2);
    p.now += 31 * MIN;
    const c = shopifyPage(p, "https://shop.example/");
    runCustomPixel(c);
    c.emit("page_viewed");
    await arrived(3);
    const d = shopifyPage(p, "https://shop.example/?utm_source=newsletter&utm_medium=email");
    runCustomPixel(d);
    d.emit("page_viewed");
    const bodies = await arrived(4);
    const s = bodies.map((x) => x.session_id);
    expect(s[1]).toBe(s[0]); // 29 minutes later
    expect(s[2]).not.toBe(s[1]); // 31 idle minutes
    expect(s[3]).not.toBe(s[2]); // other UTM tags
    expect(new Set(bodies.map((x) => x.visitor_id))).toEqual(new Set(["theme-visitor-1"]));
    expect(p.storage.get("utmd_vid")).toBe("theme-visitor-1");
  });

  it("reads a plain numeric order id, skips a checkout_completed without one, and never throws on odd payloads", async () => {
    const page = shopifyPage(new Profile(), "https://shop.example/checkouts/cn/x/thank-you");
    runCustomPixel(page);
    page.emit("checkout_completed", { checkout: { order: { id: "820982911946154508" }, totalPrice: null } });
    page.emit("checkout_completed", { checkout: { order: null } });
    page.emit("checkout_completed", { checkout: { order: { id: "x".repeat(129) } } });
    expect(() => page.emit("product_viewed", null)).not.toThrow();
    expect(() => page.emit("product_added_to_cart", { cartLine: null })).not.toThrow();
    const bodies = await arrived(3);
    expect(bodies.map((b) => [b.type, b.order_id ?? null, b.properties ?? null])).toEqual([
      ["purchase", "820982911946154508", null],
      ["product_view", null, null],
      ["add_to_cart", null, null],
    ]);
  });

  it("pre-fills the endpoint from the app URL (a trailing slash or a path is fine) and refuses anything but an http(s) URL", () => {
    expect(customPixelCode("https://analytics.example/")).toContain('utmdPixel.collectEndpoint("https://analytics.example")');
    const ctx = runCustomPixel(shopifyPage(new Profile(), "https://shop.example/"), "https://analytics.example/utm/");
    expect(vm.runInContext('utmdPixel.collectEndpoint("https://analytics.example/utm/")', ctx)).toBe("https://analytics.example/utm/api/collect");
    expect(vm.runInContext('utmdPixel.collectEndpoint("javascript:alert(1)")', ctx)).toBe("");
    for (const bad of ["ftp://x.example", 'https://x.example/"+alert(1)+"', "https://x.example/\nalert(1)", "not a url"]) {
      expect(() => customPixelCode(bad)).toThrow(/http\(s\) URL/);
    }
  });
});

describe("Shopify Web Pixel extension (src/index.ts with the real register)", () => {
  const extensionDir = path.resolve("integrations/shopify/extensions/utm-dispatcher-pixel");

  it("registers through shopify.extend, reads settings.appUrl, and sends what the custom pixel sends", async () => {
    const bundle = (await build({ entryPoints: [path.join(extensionDir, "src/index.ts")], bundle: true, format: "iife", target: "es2020", write: false, logLevel: "silent" })).outputFiles[0].text;
    const p = new Profile();
    const page = shopifyPage(p, "https://shop.example/?utm_source=tiktok&ttclid=E.1");
    const points: string[] = [];
    const shopify = {
      extend: (point: string, fn: (api: unknown) => void) => {
        points.push(point);
        fn({ ...page.globals, settings: { appUrl: `${appUrl}/` }, customerPrivacy: { subscribe: () => undefined } });
      },
    };
    vm.runInContext(bundle, vm.createContext({ ...page.globals, shopify }));
    expect(points).toEqual(["WebPixel::Render"]);
    page.emit("page_viewed");
    page.emit("checkout_completed", { checkout: { order: { id: "gid://shopify/Order/42" }, totalPrice: { amount: 10, currencyCode: "EUR" } } });
    const bodies = await arrived(2);
    expect(bodies.map((b) => [b.type, b.url, b.order_id ?? null])).toEqual([
      ["page_view", "https://shop.example/?utm_source=tiktok&ttclid=E.1", null],
      ["purchase", "https://shop.example/?utm_source=tiktok&ttclid=E.1", "42"],
    ]);
    // A missing or unusable appUrl setting: the pixel stays silent.
    received.length = 0;
    const quiet = shopifyPage(new Profile(), "https://shop.example/");
    const shopify2 = { extend: (_: string, fn: (api: unknown) => void) => fn({ ...quiet.globals, settings: { appUrl: "" } }) };
    vm.runInContext(bundle, vm.createContext({ ...quiet.globals, shopify: shopify2 }));
    quiet.emit("page_viewed");
    expect(await arrived(0)).toEqual([]);
    expect(quiet.handlers.size).toBe(0);
  });

  it("the app folder declares a web_pixel_extension with the appUrl setting and the package it imports", () => {
    const toml = readFileSync(path.join(extensionDir, "shopify.extension.toml"), "utf8");
    expect(toml).toMatch(/^type = "web_pixel_extension"$/m);
    expect(toml).toMatch(/^runtime_context = "strict"$/m);
    expect(toml).toMatch(/^\[settings\.fields\.appUrl\]$/m);
    const pkg = JSON.parse(readFileSync(path.join(extensionDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toContain("@shopify/web-pixels-extension");
    expect(readFileSync("integrations/shopify/shopify.app.toml", "utf8")).toMatch(/write_pixels,read_customer_events/);
  });
});
