/**
 * The UTM Dispatcher Shopify pixel (SPEC 17.1), written once for both ways a shop installs it:
 *   - the app's Web Pixel extension (./index.ts: `register`, settings.appUrl), and
 *   - the "custom pixel" pasted in Shopify admin › Settings › Customer events, generated from this
 *     file by `npm run build:tracker` (lib/integrations/shopify-pixel.ts customPixelCode(appUrl);
 *     a test runs the generated code against a local collect server).
 * Plain code over Shopify's documented Standard API only (analytics.subscribe, browser.cookie /
 * localStorage, init.context, event.context / event.data), so it runs in the strict (worker) and
 * the lax (iframe) sandbox alike.
 *
 * Events go to /api/collect (SPEC 2.2) as t.js sends them: page_viewed → page_view,
 * product_viewed → product_view, product_added_to_cart → add_to_cart, checkout_started →
 * checkout (checkout_start), checkout_completed → purchase with order_id = the Shopify order id
 * (the number as a string; a `gid://shopify/Order/<n>` is read as <n>), which links the order to
 * the session. Each carries the page URL (UTM tags and click ids stay in it) and page_view the
 * referrer. The visitor id and the session are kept where t.js keeps them (cookie `utmd_vid` +
 * localStorage `utmd_vid`, localStorage `utmd_sid`: browser.* act on the top frame), so a theme
 * that still embeds t.js shares one visitor and one session with the pixel; the session rotates
 * like t.js's: after 30 minutes without an event, or when a page opens with other UTM tags.
 */
import type { ExtensionApi } from "@shopify/web-pixels-extension";

type Api = Pick<ExtensionApi, "analytics" | "browser" | "init">;
type Props = Record<string, unknown>;
type Money = { amount?: unknown; currencyCode?: unknown } | null | undefined;
/** What every standard event carries (read defensively: a field may be missing). */
type PixelEvent = { context?: { document?: { location?: { href?: string }; referrer?: string } } };

const SESSION_MS = 30 * 60 * 1000;
const YEAR_S = 31536000;
const UTM = ["source", "medium", "campaign", "content", "term"];

export function startPixel(api: Api, endpoint: string): void {
  const { analytics, browser, init } = api;
  const uuid = (): string => {
    const c = globalThis.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    const b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const validVid = (v: unknown): v is string => typeof v === "string" && /^[\w-]{1,64}$/.test(v);
  const utmSignature = (href: string): string => {
    let q: URLSearchParams;
    try {
      q = new URL(href).searchParams;
    } catch {
      return "";
    }
    const v = UTM.map((k, i) => {
      const s = (q.get("utm_" + k) || "").trim();
      return i < 2 ? s.toLowerCase() : s;
    });
    return v.join("") ? v.join("|") : "";
  };
  const get = async (k: string): Promise<string | null> => {
    try {
      return await browser.localStorage.getItem(k);
    } catch {
      return null;
    }
  };
  const set = async (k: string, v: string): Promise<void> => {
    try {
      await browser.localStorage.setItem(k, v);
    } catch {
      /* storage blocked: the cookie still carries the visitor id */
    }
  };

  let visitor: string | undefined;
  /** The visitor id: the cookie wins (what the shop's backend reads), localStorage restores it. */
  const visitorId = async (): Promise<string> => {
    if (visitor) return visitor;
    let cookie: unknown;
    try {
      cookie = await browser.cookie.get("utmd_vid");
    } catch {
      /* cookies blocked */
    }
    const stored = await get("utmd_vid");
    const v = validVid(cookie) ? cookie : validVid(stored) ? stored : uuid();
    try {
      await browser.cookie.set(`utmd_vid=${v}; path=/; max-age=${YEAR_S}; SameSite=Lax; Secure`);
    } catch {
      /* cookies blocked */
    }
    await set("utmd_vid", v);
    return (visitor = v);
  };

  /** The session of an event at `href`: rotated after 30 idle minutes or on new UTM tags (as t.js). */
  const sessionId = async (href: string): Promise<string> => {
    const now = Date.now();
    const u = utmSignature(href);
    let s: { id?: string; t?: number; u?: string } | null = null;
    try {
      s = JSON.parse((await get("utmd_sid")) || "null");
    } catch {
      /* corrupt: a new session */
    }
    if (!s || !s.id || !(now - (s.t as number) < SESSION_MS) || (u && u !== s.u)) s = { id: uuid(), t: now, u };
    s.t = now;
    await set("utmd_sid", JSON.stringify(s));
    return s.id as string;
  };

  const post = async (body: string): Promise<void> => {
    try {
      // text/plain: a simple request (no CORS preflight), as t.js sends; keepalive outlives the page.
      await fetch(endpoint, { method: "POST", body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } });
    } catch {
      try {
        await browser.sendBeacon(endpoint, body);
      } catch {
        /* offline: the event is lost, as a beacon would be */
      }
    }
  };

  // Events are handled one after another: each reads and writes the stored session.
  let queue: Promise<void> = Promise.resolve();
  const send = (type: string, event: PixelEvent, properties?: Props, orderId?: string) => {
    queue = queue.then(async () => {
      const doc = (event && event.context && event.context.document) || init.context.document;
      const href = (doc && doc.location && doc.location.href) || init.context.document.location.href;
      const body: Props = { event_id: uuid(), visitor_id: await visitorId(), session_id: await sessionId(href), type, url: href };
      if (type === "page_view" && doc && doc.referrer) body.referrer = doc.referrer;
      if (orderId) body.order_id = orderId;
      if (properties) {
        const p = Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null && v !== undefined && v !== ""));
        if (Object.keys(p).length) body.properties = p;
      }
      await post(JSON.stringify(body));
    }).catch(() => undefined);
  };

  const money = (m: Money): Props => ({ value: m && m.amount != null ? Number(m.amount) : undefined, currency: m && m.currencyCode });
  /** Shopify's order id as the numeric string its Admin API and webhooks use. */
  const orderIdOf = (id: unknown): string => {
    const s = id === null || id === undefined ? "" : String(id).trim();
    const gid = /^gid:\/\/shopify\/Order\/(\d+)/.exec(s);
    return gid ? gid[1] : s;
  };

  analytics.subscribe("page_viewed", (e) => send("page_view", e));
  analytics.subscribe("product_viewed", (e) => {
    const v = e.data?.productVariant;
    send("product_view", e, { sku: v?.sku, product_id: v?.product?.id, variant_id: v?.id, ...money(v?.price) });
  });
  analytics.subscribe("product_added_to_cart", (e) => {
    const line = e.data?.cartLine;
    const v = line?.merchandise;
    send("add_to_cart", e, { sku: v?.sku, product_id: v?.product?.id, variant_id: v?.id, quantity: line?.quantity, ...money(line?.cost?.totalAmount) });
  });
  analytics.subscribe("checkout_started", (e) => send("checkout", e, money(e.data?.checkout?.totalPrice)));
  analytics.subscribe("checkout_completed", (e) => {
    const c = e.data?.checkout;
    const id = orderIdOf(c?.order?.id);
    // Without an order id there is nothing to link; the order still arrives by webhook.
    if (id && id.length <= 128) send("purchase", e, money(c?.totalPrice), id);
  });
}

/** The collect endpoint for the app's base URL (the extension's `appUrl` setting); "" when it is no http(s) URL. */
export function collectEndpoint(appUrl: unknown): string {
  try {
    const u = new URL(String(appUrl).trim());
    if (u.protocol !== "https:" && u.protocol !== "http:") return "";
    return u.origin + u.pathname.replace(/\/+$/, "") + "/api/collect";
  } catch {
    return "";
  }
}
