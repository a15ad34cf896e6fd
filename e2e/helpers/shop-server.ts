import { createServer, type IncomingMessage, type Server } from "node:http";

/**
 * A tiny stand-in for a customer's shop on a second origin: every path serves the same HTML page
 * (like an SPA) that embeds the app's /t.js with one <script> tag, and `POST /checkout` is the
 * shop's backend placing an order: it reads the visitor id from its own first-party cookie
 * `utmd_vid` — exactly what a real shop does — and reports the order to the app.
 */

export type ShopOptions = {
  port: number;
  trackerSrc: string;
  /** HTML for the page's <head> instead of one `<script async src=trackerSrc>` (e.g. the README snippet). */
  head?: string;
  /** Called by POST /checkout with the visitor id from the cookie; its result is the answer. */
  onCheckout: (visitorId: string | undefined) => Promise<unknown>;
};

const page = (head: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>E2E Shop</title>
  ${head}
</head>
<body>
  <h1 id="title">Spring sale</h1>
  <button id="add-to-cart" onclick="utmd.track('add_to_cart', {sku: 'A1'})">Add to cart</button>
  <button id="go-cart" onclick="history.pushState({}, '', '/cart'); document.getElementById('title').textContent = 'Cart'">Cart</button>
  <button id="checkout" onclick="fetch('/checkout', {method: 'POST'}).then(r => r.text()).then(t => { document.getElementById('result').textContent = t })">Place order</button>
  <pre id="result"></pre>
</body>
</html>`;

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export async function startShop(opts: ShopOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/checkout") {
      opts
        .onCheckout(cookie(req, "utmd_vid"))
        .then((answer) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(answer));
        })
        .catch((err: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(err));
        });
      return;
    }
    if (req.url === "/favicon.ico") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page(opts.head ?? `<script async src="${opts.trackerSrc}"></script>`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // All interfaces: Chromium may resolve "localhost" to ::1 or 127.0.0.1.
    server.listen(opts.port, resolve);
  });
  return {
    // "localhost" vs the app's "127.0.0.1": another site, not just another port, like a real shop.
    url: `http://localhost:${opts.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
