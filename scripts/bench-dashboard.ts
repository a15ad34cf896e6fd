/**
 * Times the server-side render of /dispatcher on a running app (SPEC 9: the default view < 3 s):
 * signs in through next-auth's credentials endpoint like the sign-in form does, then loads the
 * page repeatedly and reads the whole streamed HTML, so every Suspense block has rendered when
 * the clock stops. The first load is reported apart (cold caches, route compilation in dev).
 *
 *   npm run bench:dashboard -- --url http://localhost:3000 --email a@b.c --password secret [--runs 7] [--query "period=year"]
 */
import { Command } from "commander";
import { ms, percentile } from "@/scripts/bench/percentiles";
import { wholeNumber } from "@/lib/runtime/cli-options";

const program = new Command()
  .name("bench:dashboard")
  .requiredOption("--url <url>", "base URL of the running app")
  .requiredOption("--email <email>", "a user's e-mail")
  .requiredOption("--password <password>", "that user's password")
  .option("--runs <n>", "timed loads after the first one", wholeNumber("--runs", 1, 1000), 7)
  .option("--query <qs>", "search params of the view (the default view when empty)", "")
  .parse();
const opts = program.opts<{ url: string; email: string; password: string; runs: number; query: string }>();

/** Cookie jar of name=value pairs from Set-Cookie headers. */
function addCookies(jar: Map<string, string>, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function signIn(base: string): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  addCookies(jar, csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email: opts.email, password: opts.password, json: "true" }),
  });
  addCookies(jar, res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) {
    throw new Error(`sign-in failed (HTTP ${res.status}): check --email and --password`);
  }
  return jar;
}

async function load(url: string, cookie: string): Promise<{ ttfb: number; total: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const ttfb = performance.now() - t0;
  const body = await res.text();
  if (!body.includes("</html>")) throw new Error("the page did not finish streaming");
  return { ttfb, total: performance.now() - t0, bytes: Buffer.byteLength(body) };
}

async function main(): Promise<void> {
  const base = opts.url.replace(/\/$/, "");
  const cookie = cookieHeader(await signIn(base));
  const url = `${base}/dispatcher${opts.query ? `?${opts.query}` : ""}`;
  const first = await load(url, cookie);
  const totals: number[] = [];
  const ttfbs: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const r = await load(url, cookie);
    totals.push(r.total);
    ttfbs.push(r.ttfb);
  }
  console.log(`GET ${url}  (${(first.bytes / 1024).toFixed(0)} KB of HTML)`);
  console.log(`first load: ${ms(first.total)} ms (first byte ${ms(first.ttfb)} ms)`);
  console.log(
    `${opts.runs} loads: complete p50 ${ms(percentile(totals, 50))} ms, p95 ${ms(percentile(totals, 95))} ms, max ${ms(Math.max(...totals))} ms; ` +
      `first byte p50 ${ms(percentile(ttfbs, 50))} ms`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
