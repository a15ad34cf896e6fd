import { chromium, type Browser } from "playwright-core";
import { percentile } from "./percentiles";

/**
 * The dashboard's first load in a real browser (issue 22): headless Chromium (Debian's, no
 * download) opens /dispatcher in a fresh context each run (empty HTTP cache, as a first visit)
 * with a signed-in session cookie, and reads from the page's own clock, since navigation start:
 * first contentful paint, the KPI cards painted, and every block loaded (no «loading» status left
 * in the page and the time series chart drawn). Medians over `runs`, after one untimed load that
 * warms the server (compiled routes, the day cells of the view).
 */

export type FirstLoad = { ttfb: number; html: number; dcl: number; fcp: number; kpi: number; all: number; jsKb: number };
export type FirstLoadResult = { runs: FirstLoad[]; fcp: number; kpi: number; all: number; jsKb: number };

export type FirstLoadOptions = {
  /** Base URL of a running app, e.g. http://127.0.0.1:3000. */
  url: string;
  email: string;
  password: string;
  runs: number;
  /** Search params of the view ("" = the default view). */
  query?: string;
  executablePath?: string;
};

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/** The session cookie, signed in through next-auth's credentials endpoint like the form does. */
async function sessionCookies(base: string, email: string, password: string): Promise<{ name: string; value: string }[]> {
  const jar = new Map<string, string>();
  const take = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  take(res);
  const cookies = [...jar].filter(([k]) => k.includes("session-token")).map(([name, value]) => ({ name, value }));
  if (cookies.length === 0) throw new Error(`sign-in failed (HTTP ${res.status}): check the e-mail and password`);
  return cookies;
}

/** Polled in the page: the times (ms since navigation start) the KPIs and all blocks were there. */
const WATCH = `(() => {
  const marks = { kpi: 0, all: 0 };
  window.__firstLoad = marks;
  const check = () => {
    const t = performance.now();
    const kpi = document.querySelector('[data-block="kpi"]');
    if (!marks.kpi && kpi && !kpi.querySelector('[role="status"]') && kpi.textContent.trim()) marks.kpi = t;
    const main = document.querySelector("main");
    const chart = document.querySelector('#block-timeseries svg');
    if (marks.kpi && !marks.all && main && !main.querySelector('[role="status"]') && chart) marks.all = t;
    if (!marks.all) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})()`;

async function oneLoad(browser: Browser, base: string, path: string, cookies: { name: string; value: string }[]): Promise<FirstLoad> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    await context.addCookies(cookies.map((c) => ({ ...c, url: base })));
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    const sizes: Promise<number>[] = [];
    page.on("requestfinished", (req) => {
      if (req.resourceType() === "script") sizes.push(req.sizes().then((s) => s.responseBodySize, () => 0));
    });
    await page.goto(`${base}${path}`, { waitUntil: "commit", timeout: 60_000 });
    // Functions, not strings: the page's CSP forbids eval.
    type Marks = { kpi: number; all: number };
    await page.waitForFunction(() => ((globalThis as unknown as { __firstLoad?: Marks }).__firstLoad?.all ?? 0) > 0, undefined, { timeout: 60_000, polling: 50 });
    const r = await page.evaluate(() => {
      const m = (globalThis as unknown as { __firstLoad: Marks }).__firstLoad;
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      return { fcp: paint ? paint.startTime : NaN, kpi: m.kpi, all: m.all, ttfb: nav?.responseStart ?? NaN, html: nav?.responseEnd ?? NaN, dcl: nav?.domContentLoadedEventEnd ?? NaN };
    });
    const jsBytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    return { ...r, jsKb: jsBytes / 1024 };
  } finally {
    await context.close();
  }
}

export async function dashboardFirstLoad(opts: FirstLoadOptions): Promise<FirstLoadResult> {
  const base = opts.url.replace(/\/$/, "");
  const path = `/dispatcher${opts.query ? `?${opts.query}` : ""}`;
  const cookies = await sessionCookies(base, opts.email, opts.password);
  const browser = await chromium.launch({ executablePath: opts.executablePath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
  try {
    await oneLoad(browser, base, path, cookies);
    const runs: FirstLoad[] = [];
    for (let i = 0; i < opts.runs; i++) runs.push(await oneLoad(browser, base, path, cookies));
    const med = (k: keyof FirstLoad) => percentile(runs.map((r) => r[k]), 50);
    return { runs, fcp: med("fcp"), kpi: med("kpi"), all: med("all"), jsKb: med("jsKb") };
  } finally {
    await browser.close();
  }
}

/** The bench table's rows of a first-load result (scripts/bench.ts --dashboard-url). */
export function firstLoadRows(r: FirstLoadResult, fmt: (x: number) => string): string[] {
  const row = (what: string, k: "fcp" | "kpi" | "all") => `| ${what} | ${fmt(r[k])} | | | |`;
  return [
    row(`/dispatcher first load in Chromium, ${r.runs.length} runs (median): first contentful paint`, "fcp"),
    row("/dispatcher first load: KPI cards painted", "kpi"),
    row(`/dispatcher first load: every block loaded (chart drawn; ${Math.round(r.jsKb)} KB of scripts)`, "all"),
  ];
}
