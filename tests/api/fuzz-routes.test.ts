import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import type { SessionUser } from "@/lib/http/session";
import { createUser } from "@/lib/auth/users";
import { rows, type Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { overrideConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { loadFixture } from "../fixtures/analytics-fixture";

/**
 * Issue 10 "What must exist": a seeded fuzz test over EVERY route handler under app/api (found on
 * disk, so a new route is fuzzed without editing this file). Hostile requests: wrong types, huge
 * and empty values, unicode, NUL, invalid UTF-8 (raw %FF and undecodable bytes), out-of-range and
 * malformed dates, duplicate and array parameters, hostile path ids, wrong content types, broken
 * JSON. Each request is made as an admin API token with both scopes, as a signed-in admin from the
 * app's own origin, or anonymously — or as a wrong caller (issue 22): a token of one scope only,
 * a viewer, an admin from a foreign Origin. The corpus is generated deterministically (fixed
 * seeds), at least MIN_CASES requests over every route, and runs in `npm test`. Asserted: no 5xx; every 4xx answers a JSON `{error}` body; and
 * the stored data is unchanged (a checksum of every table before and after; bodies sent to write
 * routes are always invalid, path ids never name a stored row).
 *
 * Runs on both drivers (PGlite always, PostgreSQL with TEST_DATABASE_URL). FUZZ_PER_ROUTE raises
 * the number of requests per route handler for a longer run.
 */

const SEED = 20261125;
const PER_ROUTE = Number(process.env.FUZZ_PER_ROUTE ?? 27);
const ORIGIN = "http://localhost:3000";
/** Issue 22: the corpus is at least this many requests over every route (CI: `npm test`). */
const MIN_CASES = 2_000;

const session = vi.hoisted(() => ({ user: undefined as SessionUser | undefined }));
vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => session.user }));

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Route = { file: string; urlPath: string; method: string; handler: Handler; params: { name: string; catchAll: boolean }[] };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const API_DIR = path.resolve(__dirname, "../../app/api");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === "route.ts" ? [p] : [];
  });
}

async function loadRoutes(): Promise<Route[]> {
  const out: Route[] = [];
  for (const file of routeFiles(API_DIR).sort()) {
    // next-auth's own handler reads cookies()/headers() from Next's request scope, which exists
    // only inside a running Next server (tests/api/auth-sign-in.test.ts covers the limiter in front).
    if (file.includes(`${path.sep}[...nextauth]${path.sep}`)) continue;
    const rel = path.relative(path.resolve(__dirname, "../.."), path.dirname(file)).split(path.sep);
    const segments = rel.slice(1); // drop "app"
    const params = segments
      .filter((s) => s.startsWith("["))
      .map((s) => ({ name: s.replace(/^\[+(\.\.\.)?|\]+$/g, ""), catchAll: s.includes("...") }));
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof mod[method] === "function") {
        out.push({ file: path.relative(API_DIR, file), urlPath: "/" + segments.join("/"), method, handler: mod[method] as Handler, params });
      }
    }
  }
  return out;
}

// ---- hostile values ----------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff x",
  "\ufffd",
  "%FF",
  "%00",
  "%E0%A4%A",
  "'; drop table sessions; --",
  "<script>alert(1)</script>",
  "=cmd|' /C calc'!A0",
  "../../../../etc/passwd",
  "Україна 🇺🇦 \u202e",
  "(none)",
  "(direct)",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "NaN",
  "Infinity",
  "-1",
  "0",
  "1e309",
  "9007199254740993",
  "-0",
  "0x10",
  "1.5",
  "x".repeat(5000),
];

const HOSTILE_DATES = [
  "0000-01-01",
  "0001-01-01",
  "9999-12-31",
  "10000-01-01",
  "+275760-09-13",
  "1969-12-31",
  "1970-01-01",
  "2026-02-30",
  "2026-13-01",
  "2026-00-10",
  "2026-3-1",
  "2026-03-01T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:30:00+01:00",
  "9999-12-31T23:59:59-23:59",
  "2026-03-01T25:61:61Z",
  "yesterday",
  "2026-03-01\u0000",
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS, ...HOSTILE_DATES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

const PARAM_NAMES = [
  "start_date", "end_date", "period", "compare_start_date", "compare_end_date", "compare",
  "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "country", "device", "browser", "os",
  "landing_page", "referrer", "interval", "report", "format", "model", "dimension", "metric", "cohort_type",
  "periods", "campaign", "page", "limit", "per_page", "sort", "order", "dir", "q", "type", "name", "share",
  "event", "events", "goal", "lang", "locale", "callbackUrl", "csrf", "tz", "id",
];

/** A query string with duplicate keys, raw %FF/%00 and undecodable sequences left as sent. */
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: hostileString }),
      hostileString,
      fc.constantFrom("encode", "encode", "raw-ff", "raw-nul", "array"),
    ),
    { maxLength: 8 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v, how]) => {
        const key = encodeURIComponent(cleanForUri(k));
        const val = encodeURIComponent(cleanForUri(v));
        if (how === "raw-ff") return `${key}=%FF${val}`;
        if (how === "raw-nul") return `${key}=a%00${val}`;
        if (how === "array") return `${key}[]=${val}&${key}=${val}&${key}=`;
        return `${key}=${val}`;
      })
      .join("&"),
  );

/** encodeURIComponent throws on lone surrogates: those travel as raw undecodable bytes instead. */
function cleanForUri(s: string): string {
  return s.replace(/[\ud800-\udfff]/g, "\ufffd");
}

/** Path ids that never name a stored row: malformed, out of range, or names the fixture does not use. */
const hostileId = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => !/^(0|-0|-1|1\.5|0x10)$/.test(s))) },
    { weight: 1, arbitrary: fc.constantFrom("999999999", "1000000000", "00000000-0000-4000-8000-00000000ffff", "00000000-0000-4000-8000-00000000000G", "nobody-erase-me") },
    { weight: 2, arbitrary: fc.string({ maxLength: 70 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
  )
  // Never a fixture visitor (v1…v4, vB), user, token or subscription key.
  .filter((s) => !/^(v[0-9B]|[1-9]\d{0,4})$/.test(s.trim()));

const SPECIAL_IDS = ["\u0000", "a\u0000b", "%FF", "%00", "\ud800", "\udfff", "x".repeat(300)];

/** Bodies that no write route accepts (so nothing may be stored). */
const hostileBody = fc.oneof(
  fc.constant({ kind: "text" as const, text: "" }),
  fc.constant({ kind: "text" as const, text: "{" }),
  fc.constant({ kind: "text" as const, text: '{"a":1,"a":2' }),
  fc.constant({ kind: "text" as const, text: "[".repeat(5000) + "]".repeat(5000) }),
  fc.constant({ kind: "text" as const, text: '{"order_id":"fz\\u0000","total":"1"}' }),
  fc.constant({ kind: "bytes" as const, bytes: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
  fc.constant({ kind: "bytes" as const, bytes: new Uint8Array([0xc3, 0x28, 0x00, 0xed, 0xa0, 0x80]) }),
  fc.string({ maxLength: 100 }).map((text) => ({ kind: "text" as const, text })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: "json" as const, value: v })),
  // Shaped like each write route's input, with one field always invalid (total, visitor_id, email...).
  fc.record({
    order_id: hostileString,
    total: fc.oneof(fc.constant(-1), fc.constant("12"), fc.constant(1e309), fc.constant(null)),
    placed_at: fc.constantFrom(...HOSTILE_DATES),
    visitor_id: hostileString,
    session_id: hostileString,
    status: hostileString,
  }).map((v) => ({ kind: "json" as const, value: v })),
  fc.record({
    sessions: fc.array(fc.record({ id: hostileString, started_at: fc.constantFrom(...HOSTILE_DATES), referrer: hostileString }), { maxLength: 3 }),
    events: fc.array(fc.record({ id: hostileString, session_id: hostileString, type: hostileString, occurred_at: fc.constantFrom(...HOSTILE_DATES) }), { maxLength: 3 }),
  }).filter((b) => b.sessions.length + b.events.length > 0).map((v) => ({ kind: "json" as const, value: v })),
  fc.record({
    event_id: hostileString,
    visitor_id: hostileString,
    session_id: hostileString,
    type: hostileString,
    url: hostileString,
    referrer: hostileString,
  }).map((v) => ({ kind: "json" as const, value: v })),
  fc.record({
    email: hostileString,
    password: fc.constantFrom("", "x", "\u0000".repeat(10)),
    role: hostileString,
    name: hostileString,
    scopes: fc.constantFrom(["write"], "read", [], [null]),
    date: fc.constantFrom(...HOSTILE_DATES),
    amount: fc.constantFrom(-5, "ten", 1e309, null),
    utm_source: hostileString,
    frequency: hostileString,
    params: fc.constantFrom({ period: "forever" }, "x", [1]),
    expires_in_days: fc.constantFrom(-1, 0, 1e9, "7"),
  }).map((v) => ({ kind: "json" as const, value: v })),
);

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "text/plain;charset=UTF-8",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
  "",
];

/**
 * Callers: a token with both scopes; a signed-in admin from the app's origin; nobody; and the
 * wrong ones (issue 22) — a token of the other scope only, a viewer where an admin is needed, an
 * admin whose request comes from a foreign Origin.
 */
type Auth = "token" | "admin" | "anonymous" | "read-token" | "ingest-token" | "viewer" | "foreign-origin";

type Body = { kind: "text"; text: string } | { kind: "bytes"; bytes: Uint8Array } | { kind: "json"; value: unknown };
type Case = { routeIndex: number; ids: string[]; query: string; auth: Auth; contentType: string; body: Body };

function caseArb(routeIndex: number): fc.Arbitrary<Case> {
  return fc.record({
    routeIndex: fc.constant(routeIndex),
    ids: fc.array(hostileId, { minLength: 3, maxLength: 3 }),
    query: queryString,
    auth: fc.constantFrom<Auth>("token", "token", "admin", "admin", "anonymous", "read-token", "ingest-token", "viewer", "foreign-origin"),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    body: hostileBody,
  }) as fc.Arbitrary<Case>;
}

// ---- the stored data ---------------------------------------------------------------------------

const TABLES = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => getTableName(t));
/** Written legitimately by any request: tracker drop counters, a token's last use, the rollup cache (reports fill day cells). */
const VOLATILE_TABLES = new Set(["tracker_counters", ...schema.CACHE_TABLES]);
const VOLATILE_COLUMNS = ["last_used_at"];

async function checksums(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    if (VOLATILE_TABLES.has(t)) continue;
    const strip = VOLATILE_COLUMNS.map((c) => ` - '${c}'`).join("");
    const [r] = await rows<{ n: number; sum: string | null }>(
      db,
      sql.raw(`SELECT count(*)::int AS n, md5(coalesce(string_agg((to_jsonb(t)${strip})::text, '|' ORDER BY (to_jsonb(t)${strip})::text), '')) AS sum FROM "${t}" t`),
    );
    out[t] = `${r.n}:${r.sum}`;
  }
  return out;
}

// ---- the run ------------------------------------------------------------------------------------

describeDb("fuzz every route (issue 10)", (ctx) => {
  let routes: Route[] = [];
  let token = "";
  let readToken = "";
  let ingestToken = "";
  let restoreConfig: (() => void) | undefined;

  beforeAll(async () => {
    // The cron route answers 503 while disabled; with a secret set, the fuzz reaches its guard.
    restoreConfig = overrideConfig({ CRON_SECRET: "fuzz-cron-secret-never-sent-0123456789", SHOPIFY_WEBHOOK_SECRET: "fuzz-shopify-secret-never-sent", WOO_WEBHOOK_SECRET: "fuzz-woo-secret-never-sent" });
    routes = await loadRoutes();
  }, 120_000);
  afterAll(() => restoreConfig?.());

  function request(c: Case): { req: Request; params: Record<string, string | string[]>; label: string } {
    const route = routes[c.routeIndex];
    const params: Record<string, string | string[]> = {};
    let urlPath = route.urlPath;
    route.params.forEach((p, i) => {
      const id = c.ids[i] ?? "x";
      params[p.name] = p.catchAll ? [id, c.ids[(i + 1) % c.ids.length]] : id;
      const shown = encodeURIComponent(cleanForUri(id));
      urlPath = urlPath.replace(/\[[^\]]+\]/, shown);
    });
    const headers = new Headers({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36" });
    if (c.contentType) headers.set("content-type", c.contentType);
    if (c.auth === "token") headers.set("authorization", `Bearer ${token}`);
    if (c.auth === "read-token") headers.set("authorization", `Bearer ${readToken}`);
    if (c.auth === "ingest-token") headers.set("authorization", `Bearer ${ingestToken}`);
    if (c.auth === "admin" || c.auth === "viewer") {
      headers.set("origin", ORIGIN);
      headers.set("sec-fetch-site", "same-origin");
    }
    if (c.auth === "foreign-origin") {
      headers.set("origin", "https://evil.example");
      headers.set("sec-fetch-site", "cross-site");
    }
    const hasBody = route.method !== "GET";
    let body: BodyInit | undefined;
    if (hasBody) {
      const b = c.body;
      body = b.kind === "text" ? b.text : b.kind === "bytes" ? new Blob([new Uint8Array(b.bytes)]) : JSON.stringify(b.value);
    }
    const url = `${ORIGIN}${urlPath}${c.query ? `?${c.query}` : ""}`;
    const req = new Request(url, { method: route.method, headers, body });
    return { req, params, label: `${route.method} ${url.slice(0, 300)} auth=${c.auth} ct=${c.contentType}` };
  }

  it(`answers ${PER_ROUTE} hostile requests per route handler with no 5xx, JSON errors, and no stored change`, async () => {
    const db = ctx.handle.db;
    await loadFixture(db);
    const admin = await createUser(db, { email: "fuzz-admin@shop.test", password: "fuzz-password-123", role: "admin" });
    const viewer = await createUser(db, { email: "fuzz-viewer@shop.test", password: "fuzz-password-123", role: "viewer" });
    token = (await createApiToken(db, { name: "fuzz", scopes: ["read", "ingest"] })).token;
    readToken = (await createApiToken(db, { name: "fuzz-read", scopes: ["read"] })).token;
    ingestToken = (await createApiToken(db, { name: "fuzz-ingest", scopes: ["ingest"] })).token;
    expect(routes.length).toBeGreaterThan(40);

    const cases = routes.flatMap((_, i) => fc.sample(caseArb(i), { seed: SEED + i, numRuns: PER_ROUTE }));
    // Besides the generated ones: every route with a path id gets the ids of issue 10 item 4
    // (NUL, raw %FF, a lone surrogate as undecodable UTF-8 leaves, an overlong id) as each caller.
    routes.forEach((r, i) => {
      if (r.params.length === 0) return;
      for (const id of SPECIAL_IDS) {
        for (const auth of ["token", "admin"] as const) {
          cases.push({ routeIndex: i, ids: [id, id, id], query: "", auth, contentType: "application/json", body: { kind: "json", value: {} } });
        }
      }
    });
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    const before = await checksums(db);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const t0 = Date.now();
    for (const c of cases) {
      const { req, params, label } = request(c);
      session.user =
        c.auth === "admin" || c.auth === "foreign-origin"
          ? { id: admin.id, email: admin.email, name: null, role: "admin" }
          : c.auth === "viewer"
            ? { id: viewer.id, email: viewer.email, name: null, role: "viewer" }
            : undefined;
      let res: Response;
      try {
        res = await routes[c.routeIndex].handler(req, { params: Promise.resolve(params) });
      } catch (err) {
        failures.push(`${label}: threw ${(err as Error).message}`);
        continue;
      } finally {
        session.user = undefined;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status >= 500) {
        failures.push(`${label}: ${res.status} ${text.slice(0, 200)}`);
      } else if (res.status >= 400) {
        const type = res.headers.get("content-type") ?? "";
        let error: unknown;
        try {
          error = (JSON.parse(text) as { error?: unknown }).error;
        } catch {
          /* not JSON */
        }
        if (!type.includes("json") || typeof error !== "string") failures.push(`${label}: ${res.status} non-JSON error (${type}) ${text.slice(0, 120)}`);
      }
    }
    const ms = Date.now() - t0;
    const after = await checksums(db);

    console.log(`[fuzz] ${cases.length} requests over ${routes.length} route handlers in ${ms} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    expect(failures.slice(0, 40)).toEqual([]);
    expect(after).toEqual(before);
  }, 600_000);
});
