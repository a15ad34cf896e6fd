import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { GET } from "@/app/api/cron/utm-report/route";
import { createChannel } from "@/lib/notify/channels";
import { addChannelSubscription, sendChannelReports } from "@/lib/notify/report-channels";
import { listSends } from "@/lib/reports/send-log";
import { overrideConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/alerts-receiver";
import { loadReportFixture, NOW } from "../fixtures/report-db-fixture";

const BOT = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ01234";
let receiver: Receiver;
let restore: (() => void) | undefined;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.mode = "ok";
  restore = overrideConfig({ APP_TIMEZONE: "UTC", APP_CURRENCY: "UAH", CRON_SECRET: "cron-secret-rep", TELEGRAM_API_URL: receiver.url, RESEND_API_KEY: undefined, REPORT_RECIPIENTS: undefined });
});
afterEach(() => restore?.());

describeDb("scheduled reports to Slack and Telegram", (ctx) => {
  beforeEach(async () => {
    await ctx.handle.db.execute(sql.raw("TRUNCATE notify_channels, report_channel_subscriptions RESTART IDENTITY CASCADE"));
  });

  async function subscribe() {
    const db = ctx.handle.db;
    const slack = (await createChannel(db, { kind: "slack", name: "Slack", target: `${receiver.url}/slack/T/B/X` })).channel;
    const tg = (await createChannel(db, { kind: "telegram", name: "TG", target: "-100200300", secret: BOT })).channel;
    await addChannelSubscription(db, { channel_id: slack.id, period: "week", language: "en" });
    await addChannelSubscription(db, { channel_id: tg.id, period: "week", language: "uk" });
    return { slack, tg };
  }

  it("the weekly report's figures go to each channel once, in its language, logged in the send log", async () => {
    const db = ctx.handle.db;
    await loadReportFixture(db);
    await subscribe();
    const [a, b] = await Promise.all([sendChannelReports(db, { period: "week", now: NOW, timeoutMs: 2000 }), sendChannelReports(db, { period: "week", now: NOW, timeoutMs: 2000 })]);
    // Two runs at once: one sends both, the other finds both claims taken.
    expect([a, b].map((s) => `${s.sent}/${s.skipped}/${s.failed}`).sort()).toEqual(["0/2/0", "2/0/0"]);
    const slack = receiver.received.filter((r) => r.path.startsWith("/slack/"));
    const tg = receiver.received.filter((r) => r.path.endsWith("/sendMessage"));
    expect([slack.length, tg.length]).toEqual([1, 1]);
    const text = JSON.parse(slack[0].body).text as string;
    // The fixture's week 2026-01-05..11 against 2025-12-29..2026-01-04: 44 sessions vs 2 (+2100 %);
    // 14 paid orders vs 1 (+1300 %); revenue 100+50+30+10×10+10 = 290 vs 80 (+262.5 %); converted
    // 14 of 44 = 31.82 % vs 1 of 2 = 50 % (−36.4 %); AOV 290/14 = 20.71 vs 80 (−74.1 %).
    // Slack escapes & < > in its text (its docs), so the link's & reads &amp; there; money has Intl's no-break space.
    expect(text.split("\n")).toEqual([
      "UTM report for the week",
      "5 Jan 2026 — 11 Jan 2026",
      "",
      "Sessions: 44 (+2,100.0%)",
      "Orders: 14 (+1,300.0%)",
      "Revenue: UAH\u00a0290.00 (+262.5%)",
      "Conversion rate: 31.82% (-36.4%)",
      "Avg. order value: UAH\u00a020.71 (-74.1%)",
      "",
      "Top sources:",
      "• newsletter: 40 · 11 · UAH\u00a0110.00",
      "• google: 2 · 1 · UAH\u00a0100.00",
      "• (direct): 1 · 1 · UAH\u00a030.00",
      "• facebook: 1 · 1 · UAH\u00a050.00",
      "",
      "http://localhost:3000/dispatcher?start_date=2026-01-05&amp;end_date=2026-01-11",
    ]);
    const tgBody = JSON.parse(tg[0].body);
    expect(tgBody.chat_id).toBe("-100200300");
    expect(tgBody.text).toContain("44");
    expect(tgBody.text.split("\n").at(-1)).toBe("http://localhost:3000/dispatcher?start_date=2026-01-05&end_date=2026-01-11");
    expect((await listSends(db)).map((s) => [s.recipient, s.status]).sort()).toEqual([["channel:1", "sent"], ["channel:2", "sent"]]);
  });

  it("the report cron sends to channels too and answers 502 when a channel fails (retried by the next fire)", async () => {
    const db = ctx.handle.db;
    await subscribe();
    receiver.mode = "500";
    const call = () => GET(new Request("http://localhost/api/cron/utm-report?period=week", { headers: { authorization: "Bearer cron-secret-rep" } }), { params: Promise.resolve({}) });
    const failed = await call();
    expect(failed.status).toBe(502);
    expect((await failed.json()).channels).toEqual({ sent: 0, skipped: 0, failed: 2 });
    receiver.mode = "ok";
    const ok = await call();
    expect([ok.status, (await ok.json()).channels]).toEqual([200, { sent: 2, skipped: 0, failed: 0 }]);
    expect((await (await call()).json()).channels).toEqual({ sent: 0, skipped: 2, failed: 0 });
  });
});
