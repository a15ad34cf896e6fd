/**
 * The UTM Dispatcher browser tracker (SPEC 2.1), served minified as /t.js.
 *
 * Embed (README "Tracker", docs/tracker.md, lib/tracker/snippet.ts): a stub that queues calls, then the script:
 *   <script>window.utmd=window.utmd||{q:[],track:function(){utmd.q.push(arguments)}}</script>
 *   <script async src="https://analytics.example/t.js"></script>
 * On load the queued calls are replayed in order (after the page view) and `window.utmd` becomes
 * the real API.
 *   - events go to the script's own origin + /api/collect (or `data-endpoint`);
 *   - `data-cookie-domain=".shop.example"` shares the visitor id across sub-domains;
 *   - `data-datalayer` (or `window.utmdConfig = {datalayer: true}` set before the script, for tag
 *     managers that cannot set attributes) reads GA4 e-commerce events from `window.dataLayer`,
 *     the entries already there and every later push, gtag `arguments` or `{event, ecommerce}`
 *     objects: view_item → product_view, add_to_cart, begin_checkout → checkout_start,
 *     purchase → purchase with order_id = ecommerce.transaction_id (value and currency kept).
 * Thank-you pages send `purchase` by themselves (SPEC 17.2): WooCommerce's
 * /checkout/order-received/<id>/ (or ?order-received=<id>) and Shopify's thank_you / order status
 * page (`Shopify.checkout.order_id`). Each order id is sent once per browser (utmd_o).
 * Shop side: `window.utmd.visitorId` or the first-party cookie `utmd_vid` holds the visitor id to
 * pass with the order; `window.utmd.track(type, properties)` records product_view, add_to_cart,
 * checkout_start, or a custom event (`track('custom', {name, ...})` or `track('any_name', {...})`).
 *
 * Rules this file keeps:
 *   - dependency-free and small (the gzipped budget is 2 KB, checked by a test);
 *   - it never throws into the host page: every entry point is wrapped in try/catch, and the
 *     patched history methods always call (and return) the originals;
 *   - it stores nothing but random ids and timestamps (no personal data).
 */

type Props = Record<string, unknown>;
type Payload = {
  event_id: string;
  order_id?: string;
  visitor_id: string;
  session_id: string;
  type: string;
  name?: string;
  url: string;
  referrer?: string;
  properties?: Props;
};
type Session = { id: string; t: number; u: string };
type Api = { visitorId: string; sessionId: string; track: (type: string, properties?: Props) => void };
/** The snippet's stub: `track` pushes its arguments to `q` until this script has loaded. */
type Stub = Partial<Api> & { q?: ArrayLike<unknown>[] };

type Win = Window & { utmd?: Stub; utmdConfig?: { datalayer?: unknown }; dataLayer?: unknown[]; Shopify?: { checkout?: { order_id?: unknown } } };

((w: Win) => {
  const stub = w.utmd;
  if (stub && stub.track && !stub.q) return; // embedded twice: the first copy does the work
  try {
    main(w, (stub && stub.q) || []);
  } catch {
    // Storage or cookies unavailable (sandboxed frame...): keep the shop's utmd.track calls safe.
    w.utmd = { visitorId: "", sessionId: "", track() {} };
  }
})(window);

function main(w: Win, early: ArrayLike<unknown>[]) {
  const VID = "utmd_vid";
  const SID = "utmd_sid";
  const QUEUE = "utmd_q";
  const YEAR_S = 31536000;
  const SESSION_MS = 30 * 60 * 1000;
  const KNOWN = ["page_view", "product_view", "add_to_cart", "checkout_start"];
  const UTM = ["source", "medium", "campaign", "content", "term"];

  const d = document;
  const loc = location;
  // Storage blocked (privacy settings, sandboxed iframe) or full: reading the property throws,
  // or it is null; the cookie still carries the visitor id.
  const get = (k: string): string | null => {
    try {
      return w.localStorage.getItem(k);
    } catch {
      return null;
    }
  };
  const set = (k: string, v: string) => {
    try {
      w.localStorage.setItem(k, v);
    } catch {
      /* see get */
    }
  };

  const uuid = (): string => {
    const c = w.crypto;
    if (c && c.randomUUID) return c.randomUUID(); // only in secure contexts (https, localhost)
    const b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
    b[6] = (b[6] & 15) | 64; // version 4
    b[8] = (b[8] & 63) | 128; // RFC 4122 variant
    let h = "";
    for (let i = 0; i < 16; i++) h += (i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "") + (b[i] + 256).toString(16).slice(1);
    return h;
  };

  const script = (d.currentScript || d.querySelector('script[src*="/t.js"]')) as HTMLScriptElement | null;
  const attr = (n: string) => (script && script.getAttribute("data-" + n)) || "";
  const endpoint = attr("endpoint") || new URL("/api/collect", (script && script.src) || loc.href).href;

  // Visitor id: the cookie (what the shop's backend reads) wins, localStorage restores a cleared
  // cookie; both are refreshed on every load so the year counts from the last visit.
  const cookieVid = (d.cookie.match(/(?:^|;\s*)utmd_vid=([^;]+)/) || [])[1];
  const valid = (v: string | null | undefined): v is string => !!v && /^[\w-]{1,64}$/.test(v);
  const visitorId = valid(cookieVid) ? cookieVid : valid(get(VID)) ? (get(VID) as string) : uuid();
  const domain = attr("cookie-domain");
  d.cookie =
    VID + "=" + visitorId + "; path=/; max-age=" + YEAR_S + "; SameSite=Lax" +
    (domain ? "; domain=" + domain : "") + (loc.protocol == "https:" ? "; Secure" : "");
  set(VID, visitorId);

  // The UTM tags of the current URL, normalised like the server does (trimmed; source and medium
  // lower-cased), so "Facebook" and "facebook" are the same campaign visit.
  const utmSignature = (): string => {
    const q = new URLSearchParams(loc.search);
    const v = UTM.map((k, i) => {
      const s = (q.get("utm_" + k) || "").trim();
      return i < 2 ? s.toLowerCase() : s;
    });
    return v.join("") ? v.join("|") : "";
  };

  let session: Session | null = null;
  try {
    session = JSON.parse(get(SID) || "null") as Session | null;
  } catch {
    /* corrupt: start a new session */
  }

  /** The session this event belongs to: rotated after 30 min idle or on new UTM tags. */
  const touch = (): Session => {
    const now = Date.now();
    const u = utmSignature();
    if (!session || !session.id || !(now - session.t < SESSION_MS) || (u && u != session.u)) {
      session = { id: uuid(), t: now, u };
    }
    session.t = now;
    set(SID, JSON.stringify(session));
    api.sessionId = session.id;
    return session;
  };

  // Retry queue: events the server refused with 503 (database down) or that a network error
  // lost on the fetch path are kept (bounded) and re-sent with the next event or page load.
  const list = (k: string): string[] => {
    try {
      return JSON.parse(get(k) || "[]") as string[];
    } catch {
      return []; // corrupt: start again
    }
  };
  const queued = () => list(QUEUE).slice(-20);
  const keep = (body: string) => set(QUEUE, JSON.stringify(queued().concat(body).slice(-20)));

  const post = (body: string) => {
    const n = navigator;
    try {
      // text/plain keeps the request "simple": no CORS preflight, and beacons survive unload.
      if (n.sendBeacon && n.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }))) return;
    } catch {
      /* fall through to fetch */
    }
    try {
      fetch(endpoint, { method: "POST", body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } })
        .then((r) => r.status == 503 && keep(body))
        .catch(() => keep(body));
    } catch {
      keep(body);
    }
  };

  let referrer: string | undefined = d.referrer;

  const send = (type: string, properties?: Props, name?: string, order?: string) => {
    const s = touch();
    const p: Payload = { event_id: uuid(), visitor_id: visitorId, session_id: s.id, type, url: loc.href };
    if (order) p.order_id = order;
    if (name) p.name = name.slice(0, 200);
    // The page's referrer matters for the first event only: it is what a new session is
    // attributed to; later events of this page load are internal.
    if (referrer) p.referrer = referrer;
    referrer = undefined;
    // The server rejects properties over 2 KB (UTF-8 bytes: Cyrillic counts twice) or that are not
    // an object; the event is worth more than its details.
    if (properties && typeof properties == "object" && !Array.isArray(properties) && new Blob([JSON.stringify(properties)]).size <= 2048) {
      p.properties = properties;
    }
    const old = queued();
    if (old.length) {
      set(QUEUE, "[]");
      old.forEach(post);
    }
    post(JSON.stringify(p));
  };

  // One page_view per distinct URL: routers call replaceState for state-only updates and hash
  // changes are not page views.
  let lastUrl = "";
  const pageView = () => {
    try {
      const u = loc.href.split("#")[0];
      if (u == lastUrl) return;
      lastUrl = u;
      send("page_view");
    } catch {
      /* never break the host page */
    }
  };

  /** A purchase, once per order id in this browser (a reloaded thank-you page is no new order). */
  const purchase = (id: unknown, properties?: Props) => {
    const o = id == null ? "" : String(id).trim();
    const done = list("utmd_o");
    if (!o || done.indexOf(o) >= 0) return;
    set("utmd_o", JSON.stringify(done.concat(o).slice(-50)));
    send("purchase", properties, "", o);
  };

  const api: Api = {
    visitorId,
    sessionId: "",
    track(type, properties) {
      try {
        if (typeof type != "string" || !type) return;
        const t = type;
        const props = properties || {};
        if (t == "purchase") purchase(props.order_id, props);
        else if (KNOWN.indexOf(t) >= 0) send(t, props);
        else {
          const nm = t == "custom" ? props.name : t;
          send("custom", props, typeof nm == "string" && nm ? nm : "custom");
        }
      } catch {
        /* never break the host page */
      }
    },
  };
  w.utmd = api;

  const h = history;
  (["pushState", "replaceState"] as const).forEach((m) => {
    const orig = h[m];
    h[m] = function (this: History, ...args: Parameters<History["pushState"]>) {
      const r = orig.apply(this, args);
      pageView();
      return r;
    };
  });
  w.addEventListener("popstate", pageView);
  pageView();
  // Calls the page made before this script loaded, in their order, after the page view.
  for (let i = 0; i < early.length; i++) api.track(early[i][0] as string, early[i][1] as Props);

  try {
    // Thank-you pages: WooCommerce's order-received endpoint, Shopify's thank_you / order status.
    const woo = loc.href.match(/order-received[/=](\d+)/);
    const shop = w.Shopify && w.Shopify.checkout;
    purchase(woo ? woo[1] : shop && /thank[_-]you|\/orders\//.test(loc.href) ? shop.order_id : "");
  } catch {
    /* never break the host page */
  }

  // GA4 e-commerce from the dataLayer: gtag's `arguments` (["event", name, params]) or objects
  // ({event: name, ecommerce: params}).
  const GA = ["view_item", "add_to_cart", "begin_checkout", "purchase"];
  const OURS = ["product_view", "add_to_cart", "checkout_start", "purchase"];
  const fromLayer = (e: unknown) => {
    try {
      const a = e as Props & ArrayLike<unknown>;
      const gtag = a[0] == "event";
      const t = OURS[GA.indexOf((gtag ? a[1] : a.event) as string)];
      if (!t) return;
      const d = ((gtag ? a[2] : a.ecommerce) || {}) as Props;
      // Only value and currency (items could pass the 2 KB limit); undefined ones drop out of the JSON.
      const pr: Props = { value: d.value, currency: d.currency };
      if (t == "purchase") purchase(d.transaction_id, pr);
      else send(t, pr);
    } catch {
      /* never break the host page */
    }
  };
  try {
    if ((script && script.getAttribute("data-datalayer") != null) || (w.utmdConfig && w.utmdConfig.datalayer)) {
      const dl = (w.dataLayer = w.dataLayer || []);
      dl.forEach(fromLayer);
      const push = dl.push;
      dl.push = function (this: unknown[], ...items: unknown[]) {
        const r = push.apply(this, items);
        items.forEach(fromLayer);
        return r;
      };
    }
  } catch {
    /* a dataLayer that is no array: left alone */
  }
}

// A module, so these helper types and `main` stay out of the project's global scope.
export {};
