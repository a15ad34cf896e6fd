import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { OPTIONS, POST } from "@/app/api/collect/route";
import { rows } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { collectEvent } from "@/lib/ingest/collect";
import { collectFlushCount, collectQueueIdle, enqueueEvent, type NewSession, type QueuedEvent } from "@/lib/ingest/collect-queue";
import { trackerHealth } from "@/lib/ingest/tracker-health";
import { withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { call, eid, sid, type Handler } from "../helpers/ingest";

const post = POST as unknown as Handler;
const options = OPTIONS as unknown as Handler;

const ev = (n: number, extra: Record<string, unknown> = {}) => ({
  event_id: eid(n),
  visitor_id: "v1",
  session_id: sid(1),
  type: "page_view",
  url: "https://shop.example.com/landing?utm_source=%20Facebook&utm_medium=CPC&utm_campaign=Spring",
  referrer: "https://www.google.com/",
  ...extra,
});

type SessionFacts = {
  visitor_id: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  country: string;
  device: string;
  browser: string;
  os: string;
  page_views: number;
  event_count: number;
  funnel_step: number;
  is_returning: boolean;
  landing_path: string;
};

describeDb("POST /api/collect", (ctx) => {
  const db = () => ctx.handle.db;
  const session = async (id: string) =>
    (
      await rows<SessionFacts>(
        db(),
        sql`SELECT visitor_id, utm_source, utm_medium, utm_campaign, country, device, browser, os, page_views,
                   event_count, funnel_step::int AS funnel_step, is_returning, landing_path
            FROM sessions WHERE id = ${id}::uuid`,
      )
    )[0];
  const count = async (table: "events" | "sessions") =>
    (await rows<{ n: number }>(db(), sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0].n;

  it("creates the session from the first event and adds later events to it", async () => {
    const headers = { "cf-ipcountry": "ua" };
    expect((await call(post, "/api/collect", { body: ev(1), headers })).status).toBe(202);
    expect((await call(post, "/api/collect", { body: ev(2, { type: "product_view", url: "https://shop.example.com/p/9" }), headers })).status).toBe(202);
    expect((await call(post, "/api/collect", { body: ev(3, { type: "add_to_cart", properties: { sku: "A-1", qty: 2 } }), headers })).status).toBe(202);
    expect((await call(post, "/api/collect", { body: ev(4) })).status).toBe(202);
    // Source from the landing URL (utm wins over the Google referrer), trimmed and lower-cased;
    // 4 events of which 2 page views; furthest step add_to_cart = 2; country from cf-ipcountry.
    expect(await session(sid(1))).toEqual({
      visitor_id: "v1",
      utm_source: "facebook",
      utm_medium: "cpc",
      utm_campaign: "Spring",
      country: "UA",
      device: "desktop",
      browser: "Chrome",
      os: "Windows",
      page_views: 2,
      event_count: 4,
      funnel_step: 2,
      is_returning: false,
      landing_path: "/landing",
    });
    const evs = await rows<{ type: string; path: string; props: string | null }>(
      db(),
      sql`SELECT type::text, path, properties::text AS props FROM events ORDER BY id`,
    );
    expect(evs).toEqual([
      { type: "page_view", path: "/landing", props: null },
      { type: "product_view", path: "/p/9", props: null },
      { type: "add_to_cart", path: "/landing", props: '{"qty": 2, "sku": "A-1"}' },
      { type: "page_view", path: "/landing", props: null },
    ]);
  });

  it("accepts text/plain bodies (sendBeacon) and stores a custom event's name", async () => {
    const r = await call(post, "/api/collect", {
      raw: JSON.stringify(ev(1, { type: "custom", name: "chat_opened" })),
      headers: { "content-type": "text/plain;charset=UTF-8" },
    });
    expect(r.status).toBe(202);
    const [e] = await rows<{ name: string }>(db(), sql`SELECT name FROM events`);
    expect(e.name).toBe("chat_opened");
  });

  it("marks a visitor's second session returning and takes the referrer as source", async () => {
    await call(post, "/api/collect", { body: ev(1) });
    await new Promise((r) => setTimeout(r, 5));
    await call(post, "/api/collect", {
      body: ev(2, { session_id: sid(2), url: "https://shop.example.com/", referrer: "https://www.bing.com/search?q=shoes" }),
    });
    const s2 = await session(sid(2));
    expect([s2.utm_source, s2.utm_medium, s2.is_returning]).toEqual(["bing", "organic", true]);
    expect((await session(sid(1))).is_returning).toBe(false);
  });

  it("ignores an event_id seen before, also under 20 concurrent identical posts", async () => {
    expect((await call(post, "/api/collect", { body: ev(1) })).status).toBe(202);
    expect((await call(post, "/api/collect", { body: ev(1) })).status).toBe(202);
    const same = ev(2, { session_id: sid(2) });
    const results = await Promise.all(Array.from({ length: 20 }, () => call(post, "/api/collect", { body: same })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(202));
    // 2 distinct events in 2 sessions, each counted once on its session.
    expect(await count("events")).toBe(2);
    expect(await count("sessions")).toBe(2);
    expect((await session(sid(1))).event_count).toBe(1);
    expect((await session(sid(2))).event_count).toBe(1);
  });

  it("counts 20 concurrent distinct events of one new session exactly", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(post, "/api/collect", { body: ev(i + 1) })));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const s = await session(sid(1));
    expect([s.event_count, s.page_views]).toEqual([20, 20]);
  });

  it("two new sessions of one visitor written in the same flush: the later one is returning", async () => {
    const headers = new Headers({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0" });
    const t = Date.parse("2026-03-01T10:00:00Z");
    // Issued together, so the queue stores them in one flush; sid(2) started 1 s after sid(1).
    await Promise.all([
      collectEvent(db(), ev(2, { session_id: sid(2) }), { headers, now: new Date(t + 1000) }),
      collectEvent(db(), ev(1), { headers, now: new Date(t) }),
    ]);
    expect((await session(sid(1))).is_returning).toBe(false);
    expect((await session(sid(2))).is_returning).toBe(true);
    // A session stored later but started earlier (clock skew) flips the stored one.
    await collectEvent(db(), ev(3, { session_id: sid(3), visitor_id: "v2" }), { headers, now: new Date(t + 5000) });
    await collectEvent(db(), ev(4, { session_id: sid(4), visitor_id: "v2" }), { headers, now: new Date(t) });
    expect([(await session(sid(3))).is_returning, (await session(sid(4))).is_returning]).toEqual([true, false]);
  });

  it("answers bots 202 and stores nothing", async () => {
    const r = await call(post, "/api/collect", {
      body: ev(1),
      headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
    });
    expect(r.status).toBe(202);
    expect(await count("sessions")).toBe(0);
    expect(await count("events")).toBe(0);
  });

  it("rejects invalid events with 400 and issues naming each field, storing nothing", async () => {
    const r = await call(post, "/api/collect", {
      body: { event_id: "nope", visitor_id: "", session_id: 42, type: "refund_request", url: "ftp://x/y", properties: [1] },
    });
    expect(r.status).toBe(400);
    const issues = (r.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(issues).toEqual(["event_id", "properties", "session_id", "type", "url", "visitor_id"]);
    expect(await count("events")).toBe(0);
  });

  it("answers 400, never 500, for hostile input", async () => {
    const bad: Array<[string, string | Record<string, unknown> | unknown[]]> = [
      ["not JSON", "{oops"],
      ["empty body", ""],
      ["an array", [ev(1)]],
      ["a JSON string", "\"hello\""],
      ["custom without name", ev(1, { type: "custom" })],
      ["relative url", ev(1, { url: "/p/1" })],
      ["visitor id of 65 chars", ev(1, { visitor_id: "x".repeat(65) })],
      ["properties over 2 KB", ev(1, { properties: { blob: "x".repeat(2100) } })],
      ["properties as a string", ev(1, { properties: "x" })],
      ["a number as type", ev(1, { type: 7 })],
      ["name of 201 chars", ev(1, { type: "custom", name: "n".repeat(201) })],
      ["deep nesting", "[".repeat(5000) + "]".repeat(5000)],
    ];
    for (const [label, body] of bad) {
      const r = await call(post, "/api/collect", typeof body === "string" ? { raw: body } : { body });
      expect([label, r.status]).toEqual([label, 400]);
      expect(typeof (r.body as { error: string }).error).toBe("string");
    }
    expect(await count("sessions")).toBe(0);
  });

  it("refuses NULs and lone surrogates with 400 naming each field, storing nothing (SPEC 21)", async () => {
    const r = await call(post, "/api/collect", {
      raw: JSON.stringify(ev(1, { visitor_id: "v\u0000\ud800", properties: { k: "a\u0000b", "\ud800": "x" } })),
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: "Invalid text: visitor_id must not contain NUL characters or lone UTF-16 surrogates",
      issues: [
        { path: "visitor_id", message: "must not contain NUL characters or lone UTF-16 surrogates" },
        { path: "properties.k", message: "must not contain NUL characters or lone UTF-16 surrogates" },
        { path: "properties.\ufffd", message: "the key must not contain NUL characters or lone UTF-16 surrogates" },
      ],
    });
    await collectQueueIdle(db());
    expect(await rows(db(), sql`SELECT id FROM sessions`)).toEqual([]);
  });

  it("answers 413 over 16 KB by Content-Length and by actual bytes, 415 for other media types", async () => {
    const big = JSON.stringify(ev(1, { referrer: "https://a.example/" + "x".repeat(17_000) }));
    expect((await call(post, "/api/collect", { raw: big })).status).toBe(413);
    const lying = await call(post, "/api/collect", { raw: big, headers: { "content-length": "100" } });
    expect(lying.status).toBe(413);
    const xml = await call(post, "/api/collect", { raw: "<x/>", headers: { "content-type": "application/xml" } });
    expect(xml.status).toBe(415);
    expect(await count("sessions")).toBe(0);
  });

  it("answers CORS preflight and sets Access-Control-Allow-Origin (default *)", async () => {
    const pre = await call(options, "/api/collect", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example.com", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    const r = await call(post, "/api/collect", { body: ev(1), headers: { origin: "https://shop.example.com" } });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const bad = await call(post, "/api/collect", { body: { nope: 1 }, headers: { origin: "https://shop.example.com" } });
    expect([bad.status, bad.headers.get("access-control-allow-origin")]).toEqual([400, "*"]);
  });

  it("every answer, accepted or refused, carries nosniff and the referrer policy (proxy.ts skips collect)", async () => {
    await withConfig({ ALLOWED_ORIGINS: "https://shop.example.com" }, async () => {
      const ok = await call(post, "/api/collect", { body: ev(1), headers: { origin: "https://shop.example.com" } });
      const no = await call(post, "/api/collect", { body: ev(2), headers: { origin: "https://evil.example" } });
      expect([ok.status, no.status]).toEqual([202, 403]);
      for (const r of [ok, no]) {
        expect([r.headers.get("x-content-type-options"), r.headers.get("referrer-policy")]).toEqual(["nosniff", "strict-origin-when-cross-origin"]);
      }
    });
  });

  it("honours an ALLOWED_ORIGINS list: echoes an allowed origin, refuses another", async () => {
    await withConfig({ ALLOWED_ORIGINS: "https://shop.example.com, https://m.shop.example.com" }, async () => {
      const ok = await call(post, "/api/collect", { body: ev(1), headers: { origin: "https://m.shop.example.com" } });
      expect([ok.status, ok.headers.get("access-control-allow-origin")]).toEqual([202, "https://m.shop.example.com"]);
      const no = await call(post, "/api/collect", { body: ev(2), headers: { origin: "https://evil.example" } });
      expect([no.status, no.headers.get("access-control-allow-origin")]).toEqual([403, null]);
      // Server-side senders carry no Origin and are not bound by the list.
      expect((await call(post, "/api/collect", { body: ev(3) })).status).toBe(202);
      expect(await count("events")).toBe(2);
    });
  });

  it("decodes URL parameters before cleaning them: utm_source=a%00b is stored as ab (SPEC 16)", async () => {
    const url = "https://shop.example.com/p%00q?utm_source=a%00b&utm_medium=c%00pc&utm_campaign=%00spring%00&utm_content=x%ED%A0%80y";
    const r = await call(post, "/api/collect", { body: ev(1, { url, referrer: "https://Www.Example.org/x?q=%00" }) });
    expect(r.status).toBe(202);
    const [s] = await rows<{ utm_source: string; utm_medium: string; utm_campaign: string; utm_content: string; landing_path: string; path: string }>(
      db(),
      sql`SELECT s.utm_source, s.utm_medium, s.utm_campaign, s.utm_content, s.landing_path, e.path
          FROM sessions s JOIN events e ON e.session_id = s.id`,
    );
    // NULs removed after decoding; %ED%A0%80 (an encoded lone surrogate) decodes to U+FFFD; the
    // path keeps the URL's percent-encoding, so it never holds a decoded NUL.
    expect(s).toEqual({ utm_source: "ab", utm_medium: "cpc", utm_campaign: "spring", utm_content: "x\ufffd\ufffd\ufffdy", landing_path: "/p%00q", path: "/p%00q" });
    // A gclid with only a NUL is empty, so not set: the source comes from the referrer.
    const r2 = await call(post, "/api/collect", {
      body: ev(2, { session_id: sid(2), url: "https://shop.example.com/?gclid=%00", referrer: "https://www.bing.com/" }),
    });
    expect(r2.status).toBe(202);
    expect((await session(sid(2))).utm_source).toBe("bing");
  });

  it("writes the session's referrer_host from its first event: lower-case, no www., (none) without a referrer", async () => {
    await call(post, "/api/collect", { body: ev(1, { referrer: "https://WWW.Google.com.ua/search?q=x" }) });
    await call(post, "/api/collect", { body: ev(2, { referrer: "https://other.example/" }) }); // later event: no change
    await call(post, "/api/collect", { body: ev(3, { session_id: sid(2), referrer: undefined }) });
    await call(post, "/api/collect", { body: ev(4, { session_id: sid(3), referrer: "not a url" }) });
    const got = await rows<{ id: string; referrer_host: string }>(db(), sql`SELECT id::text, referrer_host FROM sessions ORDER BY id`);
    expect(got).toEqual([
      { id: sid(1), referrer_host: "google.com.ua" },
      { id: sid(2), referrer_host: "(none)" },
      { id: sid(3), referrer_host: "(none)" },
    ]);
  });

  it("one poisoned event in a flush fails alone with 400-class invalid input, the others are stored, no one-by-one fallback", async () => {
    const headers = new Headers({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0" });
    const now = new Date();
    // A value that got past validation (as the NUL of a decoded URL did before): PostgreSQL refuses
    // "\u0000" in text, so the statement holding it fails.
    const poisonedSession: NewSession = {
      id: sid(99), visitor_id: "bad", started_at: now.toISOString(), landing_url: "https://shop.example.com/",
      landing_path: "/", referrer: null, click_ids: null, referrer_host: "(none)", utm_source: "a\u0000b", utm_medium: "(none)",
      utm_campaign: "(none)", utm_content: "(none)", utm_term: "(none)", channel: "Other", country: "(none)", device: "desktop",
      browser: "Firefox", os: "Linux", utm_id: null,
    };
    const poisonedEvent: QueuedEvent = {
      id: eid(99), session_id: sid(99), type: "page_view", name: null, path: "/", occurred_at: now.toISOString(),
      properties: null, page_view: 1, step: 0,
    };
    const before = collectFlushCount(db());
    // 63 good events in 63 sessions and the poisoned one, issued together: one flush holds them all.
    const good = Array.from({ length: 63 }, (_, i) => collectEvent(db(), ev(i + 1, { session_id: sid(i + 1), visitor_id: `v${i}` }), { headers, now }));
    const bad = enqueueEvent(db(), poisonedEvent, poisonedSession).then(
      () => "stored",
      (e: unknown) => (e instanceof AppError ? e.code : "other"),
    );
    expect(await Promise.all(good)).toEqual(Array(63).fill("stored"));
    expect(await bad).toBe("invalid_input");
    expect(await count("events")).toBe(63);
    expect(await count("sessions")).toBe(63);
    // Bisection over 64 events: 1 failed flush, then at most 2 flushes per level for 6 levels
    // (64 → 32 → … → 1): ≤ 1 + 2 × 6 = 13. One by one would take 1 + 64 = 65.
    expect(collectFlushCount(db()) - before).toBeLessThanOrEqual(13);
  });

  it("names why it dropped a hit: X-Utmd-Dropped bot (202) and origin (403), readable by allowed pages", async () => {
    const bot = await call(post, "/api/collect", { body: ev(1), headers: { "user-agent": "curl/8.5.0", origin: "https://shop.example.com" } });
    expect([bot.status, bot.headers.get("x-utmd-dropped")]).toEqual([202, "bot"]);
    expect(bot.headers.get("access-control-expose-headers")).toBe("X-Utmd-Dropped");
    const ok = await call(post, "/api/collect", { body: ev(2) });
    expect([ok.status, ok.headers.get("x-utmd-dropped")]).toEqual([202, null]);
    await withConfig({ ALLOWED_ORIGINS: "https://shop.example.com" }, async () => {
      const no = await call(post, "/api/collect", { body: ev(3), headers: { origin: "https://evil.example" } });
      expect([no.status, no.headers.get("x-utmd-dropped")]).toEqual([403, "origin"]);
      // Even a bot from a refused origin is named by the origin, checked first.
      const both = await call(post, "/api/collect", { body: ev(4), headers: { origin: "https://evil.example", "user-agent": "curl/8.5.0" } });
      expect(both.headers.get("x-utmd-dropped")).toBe("origin");
    });
    // Only the good event is stored; the drops are counted for tracker health: bot 1 (curl),
    // origin 2 (evil.example twice); the invalid body below makes invalid 1.
    expect((await call(post, "/api/collect", { body: { nope: 1 } })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 10)); // the route records drops after getDb() resolves
    await collectQueueIdle(db());
    expect(await count("events")).toBe(1);
    const h = await trackerHealth(db());
    expect(h.dropped_last_day).toEqual({ bot: 1, origin: 2, invalid: 1 });
    expect(h.events_last_hour).toBe(1);
  });

  it("ignores credentials: a stray Authorization header does not block the tracker", async () => {
    const r = await call(post, "/api/collect", { body: ev(1), headers: { authorization: "Bearer nonsense" } });
    expect(r.status).toBe(202);
  });
});
