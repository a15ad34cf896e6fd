import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * SPEC 21 / issue 22: a parameter given twice with different values is 400 on EVERY route (the
 * route files are found on disk, so a new route is walked without editing this file), whether
 * the route reads that parameter or not, before anything else is looked at (no caller, no body
 * needed): `dry_run=1&dry_run=0` as the issue's example and a name no route reads. The same value
 * twice, and a repeated filter (`utm_source=a&utm_source=b` means either), are not refused here.
 */

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const API_DIR = path.resolve(__dirname, "../../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === "route.ts" ? [p] : [];
  });
}

type Route = { label: string; url: string; method: string; handler: Handler; params: Record<string, string | string[]> };
const routes: Route[] = [];

beforeAll(async () => {
  for (const file of routeFiles(API_DIR).sort()) {
    // next-auth's own handler needs Next's request scope; sign-in refuses a doubled e-mail itself (SPEC 16).
    if (file.includes("[...nextauth]")) continue;
    const segments = path.relative(API_DIR, path.dirname(file)).split(path.sep);
    const params: Record<string, string | string[]> = {};
    const urlPath = segments
      .map((s) => {
        const m = /^\[(\.\.\.)?(.+)\]$/.exec(s);
        if (!m) return s;
        params[m[2]] = m[1] ? ["x"] : "1";
        return "1";
      })
      .join("/");
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof mod[method] === "function") {
        routes.push({ label: `${method} /api/${urlPath}`, url: `http://localhost:3000/api/${urlPath}`, method, handler: mod[method] as Handler, params });
      }
    }
  }
}, 120_000);

async function send(r: Route, query: string): Promise<{ status: number; body: { error?: unknown; issues?: { path: string }[] } | null }> {
  const res = await r.handler(new Request(`${r.url}?${query}`, { method: r.method }), { params: Promise.resolve(r.params) });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

describe("a parameter given twice with different values", () => {
  it("is 400 naming it on every route and method", async () => {
    expect(routes.length).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const r of routes) {
      for (const [query, name] of [
        ["dry_run=1&dry_run=0", "dry_run"],
        ["period=week&zz_unread=1&zz_unread=2", "zz_unread"],
      ]) {
        const got = await send(r, query);
        const named = got.body?.issues?.map((i) => i.path) ?? [];
        if (got.status !== 400 || typeof got.body?.error !== "string" || !named.includes(name)) wrong.push(`${r.label}?${query}: ${got.status} ${JSON.stringify(got.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the same value twice and a repeated filter pass the rule (the route then answers as it would)", async () => {
    const stats = routes.find((r) => r.label === "GET /api/utm/general-stats")!;
    // No caller: 401, not the 400 of the rule.
    expect((await send(stats, "dry_run=1&dry_run=1")).status).toBe(401);
    expect((await send(stats, "utm_source=a&utm_source=b")).status).toBe(401);
  });
});
