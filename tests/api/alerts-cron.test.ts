import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { GET } from "@/app/api/cron/alerts/route";
import { createRule } from "@/lib/alerts/rules";
import { processOutbox } from "@/lib/alerts/outbox";
import { setFixedNow } from "@/lib/clock";
import { rows, type Db } from "@/lib/db/client";
import { createChannel } from "@/lib/notify/channels";
import { verifySignature } from "@/lib/notify/webhook";
import { overrideConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/alerts-receiver";

const SECRET = "cron-secret-alerts";
const BOT = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ01234";
const HOOK_SECRET = "webhook-secret-0123456789";
const ALERT_TABLES = "notify_channels, alert_rules, alert_rule_channels, alert_incidents, alert_deliveries, report_channel_subscriptions";

let receiver: Receiver;
let dataDir: string;
let restore: (() => void) | undefined;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "utmd-alerts-"));
  receiver.received.length = 0;
  receiver.mode = "ok";
  restore = overrideConfig({ DATA_DIR: dataDir, CRON_SECRET: SECRET, RESEND_API_KEY: undefined, TELEGRAM_API_URL: receiver.url, NOTIFY_TIMEOUT_MS: "3000", APP_TIMEZONE: "UTC" });
});
afterEach(() => {
  restore?.();
  setFixedNow(undefined);
});

const cron = (auth = `Bearer ${SECRET}`) => GET(new Request("http://localhost/api/cron/alerts", { headers: { authorization: auth } }), { params: Promise.resolve({}) });
const emails = () => (existsSync(path.join(dataDir, "outbox")) ? readdirSync(path.join(dataDir, "outbox")) : []);

let orderNo = 0;
async function order(db: Db, at: string, total: number | null, status = "paid") {
  orderNo++;
  await db.execute(sql`insert into orders (order_id, customer_id, total, status, placed_at) values (${`o${orderNo}`}, ${`c${orderNo}`}, ${total}, ${status}, ${at}::timestamptz)`);
}

/** One channel of each kind, all pointing at the local receiver (e-mail: the outbox directory). */
async function allChannels(db: Db): Promise<number[]> {
  const ids: number[] = [];
  ids.push((await createChannel(db, { kind: "email", name: "Ops mail", target: "ops@shop.example" })).channel.id);
  ids.push((await createChannel(db, { kind: "slack", name: "Slack", target: `${receiver.url}/slack/T000/B000/XXX` })).channel.id);
  ids.push((await createChannel(db, { kind: "telegram", name: "Telegram", target: "-1001234567", secret: BOT })).channel.id);
  ids.push((await createChannel(db, { kind: "webhook", name: "Hook", target: `${receiver.url}/hook`, secret: HOOK_SECRET })).channel.id);
  return ids;
}

const byPath = () => ({
  slack: receiver.received.filter((r) => r.path.startsWith("/slack/")),
  telegram: receiver.received.filter((r) => r.path === `/bot${encodeURIComponent(BOT)}/sendMessage`),
  hook: receiver.received.filter((r) => r.path === "/hook"),
});

describeDb("GET /api/cron/alerts", (ctx) => {
  beforeEach(async () => {
    await ctx.handle.db.execute(sql.raw(`TRUNCATE ${ALERT_TABLES} RESTART IDENTITY CASCADE`));
  });

  it("503 without CRON_SECRET, 401 with a wrong one, 400 with parameters", async () => {
    const off = overrideConfig({ CRON_SECRET: undefined });
    expect((await cron()).status).toBe(503);
    off();
    expect((await cron("Bearer nope")).status).toBe(401);
    const withParam = await GET(new Request("http://localhost/api/cron/alerts?now=2020-01-01", { headers: { authorization: `Bearer ${SECRET}` } }), { params: Promise.resolve({}) });
    expect(withParam.status).toBe(400);
    expect(await withParam.json()).toMatchObject({ error: "This route takes no parameters" });
  });

  it("a 60 % revenue drop against the same hour of the last 4 weeks fires once per channel over 10 cron runs; recovery sends one resolved", async () => {
    const db = ctx.handle.db;
    // Window 13:00–14:00 UTC on Monday 2026-03-30. The same hour 1–4 weeks earlier: 1000 each → baseline 1000.
    for (const d of ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]) await order(db, `${d}T13:30:00Z`, 1000);
    // Now: 400 paid; a refunded 5000 and a paid order still awaiting its rate (total NULL) do not count.
    await order(db, "2026-03-30T13:30:00Z", 400);
    await order(db, "2026-03-30T13:40:00Z", 5000, "refunded");
    await order(db, "2026-03-30T13:45:00Z", null);
    // Outside the window (14:00 is the next hour): does not count either.
    await order(db, "2026-03-30T14:00:00Z", 9000);
    const channel_ids = await allChannels(db);
    await createRule(db, { name: "Revenue fell", metric: "revenue", condition: "drop", threshold: 60, channel_ids });

    setFixedNow(new Date("2026-03-30T14:10:00Z"));
    // (400 − 1000) / 1000 × 100 = −60 %: at the threshold, so it fires. Ten runs, five of them at once.
    const first = await Promise.all([cron(), cron(), cron(), cron(), cron()]);
    for (let i = 0; i < 5; i++) await cron();
    expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = await Promise.all(first.map((r) => r.json()));
    expect(bodies.map((b) => b.opened).reduce((a, b) => a + b, 0)).toBe(1);
    expect(bodies.find((b) => b.opened === 1).rules[0]).toMatchObject({ value: 400, baseline: 1000, breached: true, action: "opened" });

    const incidents = await rows<{ opened_at: string; resolved_at: string | null; summary: string }>(
      db,
      sql`select to_char(opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as opened_at, resolved_at::text as resolved_at, summary from alert_incidents`,
    );
    expect(incidents).toEqual([{ opened_at: "2026-03-30T14:00Z", resolved_at: null, summary: "Revenue 400.00 UAH is 60.0 % below the usual 1000.00 UAH (same hours of the last 4 weeks), 2026-03-30 13:00–14:00 UTC" }]);
    let got = byPath();
    expect([got.slack.length, got.telegram.length, got.hook.length, emails().length]).toEqual([1, 1, 1, 1]);
    // The documented request shapes.
    expect(JSON.parse(got.slack[0].body)).toEqual({ text: expect.stringContaining("🔴 Alert: Revenue fell") });
    expect(got.slack[0].headers["content-type"]).toBe("application/json");
    expect(JSON.parse(got.telegram[0].body)).toMatchObject({ chat_id: "-1001234567", text: expect.stringContaining("60.0 % below") });
    const hook = JSON.parse(got.hook[0].body);
    expect(hook).toMatchObject({ type: "alert.opened", rule: { name: "Revenue fell" }, incident: { metric: "revenue", value: 400, baseline: 1000, opened_at: "2026-03-30T14:00:00Z", resolved_at: null } });
    expect(got.hook[0].headers["x-utmd-event"]).toBe("alert.opened");
    const mail = readFileSync(path.join(dataDir, "outbox", emails()[0], "headers.json"), "utf8");
    expect(JSON.parse(mail)).toMatchObject({ to: "ops@shop.example", subject: "[UTM Dispatcher] Alert: Revenue fell" });
    const html = readFileSync(path.join(dataDir, "outbox", emails()[0], "message.html"), "utf8");
    expect(html).toContain("Revenue 400.00 UAH is 60.0 % below the usual 1000.00 UAH");
    expect(html).toContain('href="http://localhost:3000/dispatcher"');

    // Next hour: 14:00–15:00 holds 9000 against a baseline of 1000 a week → no drop → resolved, once.
    for (const d of ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]) await order(db, `${d}T14:30:00Z`, 1000);
    setFixedNow(new Date("2026-03-30T15:05:00Z"));
    const later = await Promise.all([cron(), cron(), cron()]);
    const laterBodies = await Promise.all(later.map((r) => r.json()));
    expect(laterBodies.map((b) => b.resolved).reduce((a, b) => a + b, 0)).toBe(1);
    await cron();
    got = byPath();
    expect([got.slack.length, got.telegram.length, got.hook.length, emails().length]).toEqual([2, 2, 2, 2]);
    expect(JSON.parse(got.slack[1].body).text).toContain("✅ Resolved: Revenue fell");
    expect(JSON.parse(got.hook[1].body)).toMatchObject({ type: "alert.resolved", incident: { resolved_at: "2026-03-30T15:00:00Z" } });
    const [sends] = await rows<{ sent: number; all: number }>(db, sql`select count(*) filter (where status = 'sent')::int as sent, count(*)::int as "all" from alert_deliveries`);
    expect(sends).toEqual({ sent: 8, all: 8 });
  });

  it("a tracker silent for 2 hours fires 'tracker silent'; one event in the window keeps it quiet", async () => {
    const db = ctx.handle.db;
    const counter = (minute: string, count: number) =>
      db.execute(sql`insert into tracker_counters (minute, kind, count, last_at) values (${minute}::timestamptz, 'event', ${count}, ${minute}::timestamptz)`);
    await counter("2026-03-30T11:59:00Z", 40); // before the window 12:00–14:00
    await counter("2026-03-30T12:30:00Z", 3, );
    await db.execute(sql`insert into tracker_counters (minute, kind, count, last_at) values ('2026-03-30T13:00:00Z', 'drop:bot', 7, now())`);
    const { channel } = await createChannel(db, { kind: "slack", name: "Slack", target: `${receiver.url}/slack/T/B/X` });
    await createRule(db, { name: "Tracker", metric: "tracker_events", condition: "at_most", threshold: 0, window_hours: 2, channel_ids: [channel.id] });
    setFixedNow(new Date("2026-03-30T14:01:00Z"));
    // 3 events in 12:00–14:00 → 1.5 an hour (dropped bot hits are not events): no incident.
    expect((await (await cron()).json()).rules[0]).toMatchObject({ value: 1.5, breached: false, action: "none" });
    await db.execute(sql`delete from tracker_counters where minute = '2026-03-30T12:30:00Z'`);
    const b = await (await cron()).json();
    expect(b.rules[0]).toMatchObject({ value: 0, breached: true, action: "opened" });
    expect(byPath().slack.map((r) => JSON.parse(r.body).text)).toEqual([
      "🔴 Alert: Tracker\nTracker silent: no events 2026-03-30 12:00–14:00 UTC\nOpened 2026-03-30T14:00:00Z\nhttp://localhost:3000/dispatcher",
    ]);
  });

  it("a webhook body verifies with its X-Utmd-Signature (sha256=<hex HMAC of the raw body>)", async () => {
    const db = ctx.handle.db;
    const { channel, secret } = await createChannel(db, { kind: "webhook", name: "Hook", target: `${receiver.url}/hook` });
    expect(secret).toMatch(/^[0-9a-f]{64}$/); // generated, returned once
    await createRule(db, { name: "No sessions", metric: "sessions", condition: "at_most", threshold: 0, channel_ids: [channel.id] });
    setFixedNow(new Date("2026-03-30T14:01:00Z"));
    await cron();
    const [r] = byPath().hook;
    const expected = `sha256=${createHmac("sha256", secret!).update(Buffer.from(r.body, "utf8")).digest("hex")}`;
    expect(r.headers["x-utmd-signature"]).toBe(expected);
    expect(verifySignature(secret!, r.body, r.headers["x-utmd-signature"] as string)).toBe(true);
    expect(verifySignature(secret!, r.body.replace("No sessions", "No session"), r.headers["x-utmd-signature"] as string)).toBe(false);
    expect(verifySignature("another-secret-123456", r.body, r.headers["x-utmd-signature"] as string)).toBe(false);
  });

  it("deliveries to channels answering 500 or hanging fail fast, are retried after the back-off, and then sent", async () => {
    const db = ctx.handle.db;
    const restoreTimeout = overrideConfig({ NOTIFY_TIMEOUT_MS: "500" });
    const channel_ids = (await allChannels(db)).slice(1); // slack, telegram, webhook
    await createRule(db, { name: "No sessions", metric: "sessions", condition: "at_most", threshold: 0, channel_ids });
    setFixedNow(new Date("2026-03-30T14:01:00Z"));
    receiver.mode = "500";
    let b = await (await cron()).json();
    expect(b.deliveries).toEqual({ sent: 0, failed: 3, pending: 3 });
    const errors = await rows<{ last_error: string; attempts: number }>(db, sql`select last_error, attempts::int as attempts from alert_deliveries order by channel_id`);
    expect(errors.map((e) => e.attempts)).toEqual([1, 1, 1]);
    expect(errors[0].last_error).toMatch(/^127\.0\.0\.1:\d+: HTTP 500 internal_error$/);
    // Hanging: with NOTIFY_TIMEOUT_MS=500 the run still answers at once. Not yet due (1 minute back-off): nothing is tried.
    receiver.mode = "hang";
    const seen = receiver.received.length;
    b = await (await cron()).json();
    expect([b.deliveries, receiver.received.length]).toEqual([{ sent: 0, failed: 0, pending: 3 }, seen]);
    setFixedNow(new Date("2026-03-30T14:02:30Z"));
    const t0 = Date.now();
    b = await (await cron()).json();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(b.deliveries).toEqual({ sent: 0, failed: 3, pending: 3 });
    expect((await rows<{ e: string }>(db, sql`select distinct last_error as e from alert_deliveries`)).map((r) => r.e)).toEqual([expect.stringMatching(/timed out$/)]);
    // Back-off after the 2nd attempt is 2 minutes; then the channels answer again and each gets its message once.
    receiver.mode = "ok";
    setFixedNow(new Date("2026-03-30T14:05:00Z"));
    b = await (await cron()).json();
    expect(b.deliveries).toEqual({ sent: 3, failed: 0, pending: 0 });
    await cron();
    const got = byPath();
    expect([got.slack.length, got.telegram.length, got.hook.length]).toEqual([3, 3, 3]); // 500, hang, ok
    restoreTimeout();
  });

  it("channels that hang longer than the cron budget never hold the answer past 10 s", async () => {
    const db = ctx.handle.db;
    const restoreTimeout = overrideConfig({ NOTIFY_TIMEOUT_MS: "10000" });
    try {
      const channel_ids = (await allChannels(db)).slice(1);
      await createRule(db, { name: "No sessions", metric: "sessions", condition: "at_most", threshold: 0, channel_ids });
      setFixedNow(new Date("2026-03-30T14:01:00Z"));
      receiver.mode = "hang";
      const t0 = Date.now();
      const res = await cron();
      const took = Date.now() - t0;
      expect(res.status).toBe(200);
      expect(took).toBeLessThan(10_000);
      expect((await res.json()).deliveries).toEqual({ sent: 0, failed: 3, pending: 3 });
    } finally {
      restoreTimeout();
    }
  }, 20_000);

  it("the outbox stops claiming at its deadline: unsent rows wait for the next run", async () => {
    const db = ctx.handle.db;
    const channel_ids = [];
    for (let i = 0; i < 10; i++) channel_ids.push((await createChannel(db, { kind: "slack", name: `S${i}`, target: `${receiver.url}/slack/${i}` })).channel.id);
    await createRule(db, { name: "No sessions", metric: "sessions", condition: "at_most", threshold: 0, channel_ids });
    const now = new Date("2026-03-30T14:01:00Z");
    setFixedNow(now);
    receiver.mode = "hang";
    const { evaluateRules } = await import("@/lib/alerts/evaluate");
    await evaluateRules(db, now);
    const t0 = Date.now();
    // 4 workers, a 600 ms budget, 5 s per-send timeout: each worker's one send is cut at the deadline.
    const s = await processOutbox(db, { now, deadline: t0 + 600, concurrency: 4, timeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(s).toEqual({ sent: 0, failed: 4 });
    const [left] = await rows<{ pending: number }>(db, sql`select count(*) filter (where status = 'pending')::int as pending from alert_deliveries`);
    expect(left.pending).toBe(6);
  });
});
