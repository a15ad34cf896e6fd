import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { withAppDb } from "./helpers/db";
import { E2E } from "./helpers/env";
import { createApiToken } from "./helpers/tokens";

/**
 * SPEC 16, issue 10 items 2 and 8, in Chromium against the production build: with the admin
 * signed in, a page on a second origin of the SAME site (127.0.0.1, another port: the browser
 * sends the SameSite=Lax session cookie along) tries to create a user, a token, a share link, a
 * subscription, ad spend and to erase a visitor, by `fetch` (text/plain, JSON, multipart, with
 * credentials) and by plain <form> posts (text/plain, urlencoded, multipart). Every request that
 * reaches the app is refused (403/415) and the database is unchanged. The sign-in goes through the
 * real form, so its scripts run under the nonce CSP whose headers are checked here too.
 */

const APP = E2E.appUrl;
const EVIL_PORT = E2E.port + 7;
const EVIL = `http://127.0.0.1:${EVIL_PORT}`;
const VISITOR = "e2e-csrf-visitor";

const USER = JSON.stringify({ email: "evil@e2e.test", password: "password123", role: "admin" });
const TOKEN = JSON.stringify({ name: "evil", scopes: ["read", "ingest"] });
const LINK = JSON.stringify({ name: "evil", params: "period=all", expires_in_days: 365 });
const SUB = JSON.stringify({ email: "evil@e2e.test", period: "day", language: "en" });
const SPEND = JSON.stringify([{ date: "2026-03-01", utm_source: "evil", utm_campaign: "evil", amount: 1 }]);
const SPEND_CSV = "date,utm_source,utm_campaign,amount\n2026-03-01,evil,evil,1\n";

/** A text/plain form whose body is JSON: name + "=" + value = {"…":"…","x":"="} */
const jsonForm = (id: string, action: string, json: string) => {
  const obj = JSON.parse(json) as Record<string, unknown>;
  const name = JSON.stringify(obj).slice(0, -1) + ',"x":"';
  return `<form id="${id}" method="POST" action="${APP}${action}" enctype="text/plain" target="sink"><input name='${name.replace(/'/g, "&#39;")}' value='"}'></form>`;
};

const evilPage = () => `<!doctype html><html><head><meta charset="utf-8"><title>evil</title></head><body>
<iframe name="sink" style="display:none"></iframe>
<iframe id="framed" src="${APP}/settings" width="400" height="200"></iframe>
${jsonForm("f-user", "/api/settings/users", USER)}
${jsonForm("f-token", "/api/settings/tokens", TOKEN)}
${jsonForm("f-link", "/api/settings/share-links", LINK)}
${jsonForm("f-sub", "/api/admin/subscriptions", SUB)}
<form id="f-spend-url" method="POST" action="${APP}/api/utm/ad-spend" enctype="application/x-www-form-urlencoded" target="sink"><input name="rows" value='${SPEND}'></form>
<form id="f-spend-multi" method="POST" action="${APP}/api/utm/ad-spend" enctype="multipart/form-data" target="sink"><textarea name="file">${SPEND_CSV}</textarea></form>
<form id="f-user-url" method="POST" action="${APP}/api/settings/users" target="sink"><input name="email" value="evil2@e2e.test"><input name="password" value="password123"><input name="role" value="admin"></form>
<script>
  const APP = ${JSON.stringify(APP)};
  const hit = (path, init) => fetch(APP + path, { credentials: "include", ...init }).then((r) => r.status, (e) => "blocked");
  async function attack() {
    const out = [];
    const writes = [
      ["/api/settings/users", "POST", ${JSON.stringify(USER)}],
      ["/api/settings/tokens", "POST", ${JSON.stringify(TOKEN)}],
      ["/api/settings/share-links", "POST", ${JSON.stringify(LINK)}],
      ["/api/admin/subscriptions", "POST", ${JSON.stringify(SUB)}],
      ["/api/utm/ad-spend", "POST", ${JSON.stringify(SPEND)}],
    ];
    for (const [path, method, body] of writes) {
      out.push(await hit(path, { method, body, headers: { "content-type": "text/plain" } }));
      out.push(await hit(path, { method, body, mode: "no-cors" }));
      out.push(await hit(path, { method, body, headers: { "content-type": "application/json" } }));
      const fd = new FormData();
      fd.set("file", new Blob([${JSON.stringify(SPEND_CSV)}], { type: "text/csv" }), "spend.csv");
      for (const [k, v] of Object.entries(JSON.parse(body))) if (!Array.isArray(v)) fd.set(k, String(v));
      out.push(await hit(path, { method, body: fd, mode: "no-cors" }));
    }
    out.push(await hit("/api/utm/visitors/${VISITOR}", { method: "DELETE" }));
    out.push(await hit("/api/utm/visitors/${VISITOR}", { method: "POST", mode: "no-cors" }));
    for (const f of document.forms) { f.submit(); await new Promise((r) => setTimeout(r, 300)); }
    return out;
  }
  window.attack = attack;
</script></body></html>`;

let server: Server;
test.beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(evilPage());
  });
  await new Promise<void>((resolve) => server.listen(EVIL_PORT, "127.0.0.1", resolve));
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

type Counts = { users: number; evilUsers: number; tokens: number; links: number; subs: number; spend: number; visitorSessions: number };
const counts = () =>
  withAppDb(async (sql) => {
    const [r] = await sql<Counts[]>`select
      (select count(*)::int from users) as users,
      (select count(*)::int from users where email like 'evil%') as "evilUsers",
      (select count(*)::int from api_tokens) as tokens,
      (select count(*)::int from share_links) as links,
      (select count(*)::int from report_subscriptions) as subs,
      (select count(*)::int from ad_spend) as spend,
      (select count(*)::int from sessions where visitor_id = ${VISITOR}) as "visitorSessions"`;
    return r;
  });

test("a same-site page on another origin cannot write anything with the admin's cookie", async ({ browser }) => {
  // A visitor to erase: one session through the ingestion API.
  const ingest = createApiToken("e2e-csrf", ["ingest"]);
  const posted = await fetch(`${APP}/api/ingest/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${ingest}`, "content-type": "application/json" },
    body: JSON.stringify({ sessions: [{ id: "00000000-0000-4000-8000-00000000c5f0", visitor_id: VISITOR, started_at: new Date().toISOString(), landing_url: "https://shop.example/" }] }),
  });
  expect(posted.status).toBe(200);

  const context = await browser.newContext();
  const page = await context.newPage();
  // Sign in through the form: its client script runs under the nonce CSP.
  const signInPage = await page.goto(`${APP}/sign-in`);
  const csp = signInPage?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(signInPage?.headers()["x-content-type-options"]).toBe("nosniff");
  expect(signInPage?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const scriptNonces = await page.locator("script[src]").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  await page.fill("input[name=email]", E2E.adminEmail);
  await page.fill("input[name=password]", E2E.adminPassword);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/dispatcher/);
  const before = await counts();
  expect(before.visitorSessions).toBe(1);

  const writes: string[] = [];
  page.on("response", (r) => {
    const m = r.request().method();
    if (r.url().startsWith(`${APP}/api/`) && m !== "GET" && m !== "OPTIONS") writes.push(`${r.status()} ${m} ${new URL(r.url()).pathname}`);
  });
  await page.goto(EVIL);
  // The framed /settings is refused by frame-ancestors 'none': its document never loads.
  const framed = page.frames().find((f) => f.url().startsWith(`${APP}/settings`));
  const framedTitle = framed ? await framed.title().catch(() => "") : "";
  expect(framedTitle).not.toContain("Settings");
  const statuses = (await page.evaluate("attack()")) as (number | string)[];
  await page.waitForTimeout(1500);

  // Answers the page could read (CORS-readable ones are none): opaque 0, blocked, or a refusal.
  for (const s of statuses) expect([0, "blocked", 403, 415]).toContain(s);
  // Every write that reached the app was refused (405: a method the route does not have).
  expect(writes.length).toBeGreaterThan(10);
  for (const w of writes) expect(w).toMatch(/^(403|415|405) /);
  expect(await counts()).toEqual(before);
  expect(before.evilUsers).toBe(0);
  await context.close();
});

test("every page and answer carries the security headers; /t.js stays loadable cross-origin", async ({ request }) => {
  for (const path of ["/sign-in", "/api/utm/general-stats", "/t.js"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect([path, res.headers()["x-content-type-options"]]).toEqual([path, "nosniff"]);
    expect([path, res.headers()["referrer-policy"]]).toEqual([path, "strict-origin-when-cross-origin"]);
    // Nothing that would stop a shop's page from loading the tracker (t.js says cross-origin itself).
    expect([undefined, "cross-origin"]).toContain(res.headers()["cross-origin-resource-policy"]);
    expect(res.headers()["cross-origin-embedder-policy"]).toBeUndefined();
  }
  const bad = await request.get("/api/utm/visitors/%FF");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toEqual({ error: "The URL path is not valid UTF-8 percent-encoding" });
});
