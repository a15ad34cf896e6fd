import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { collectEvent, recordDrop } from "@/lib/ingest/collect";
import { collectQueueIdle } from "@/lib/ingest/collect-queue";
import { minuteOf, pruneTrackerCounters, trackerHealth } from "@/lib/ingest/tracker-health";
import { describeDb } from "../helpers/db";
import { eid, sid } from "../helpers/ingest";

const BROWSER = new Headers({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0" });
const BOT = new Headers({ "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" });

const ev = (n: number) => ({
  event_id: eid(n),
  visitor_id: "v1",
  session_id: sid(1),
  type: "page_view",
  url: "https://shop.example.com/",
});

describeDb("tracker health (SPEC 16)", (ctx) => {
  const db = () => ctx.handle.db;
  const at = (iso: string) => new Date(iso);
  const counters = () =>
    rows<{ minute: string; kind: string; count: number }>(
      db(),
      sql`SELECT to_char(minute AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS minute, kind, count FROM tracker_counters ORDER BY minute, kind`,
    );

  it("counts stored events per minute and drops by reason, and reports the last hour and day", async () => {
    // Events in chronological order (each awaited, so one flush each unless noted).
    let n = 0;
    const send = (iso: string) => collectEvent(db(), ev(++n), { headers: BROWSER, now: at(iso) });
    await send("2026-02-28T12:00:00Z"); // day window starts after 02-28 12:00:30: outside
    for (let i = 0; i < 4; i++) await send("2026-02-28T13:00:00Z"); // in the day
    await send("2026-03-01T11:00:30Z"); // bucket 11:00, not after 11:00:30: outside the hour
    await Promise.all([send("2026-03-01T11:30:00Z"), send("2026-03-01T11:30:59Z")]); // one flush, one upsert
    for (const s of ["2026-03-01T11:59:10Z", "2026-03-01T11:59:05Z", "2026-03-01T11:59:00Z"]) await send(s);
    // A retried event (same event_id) is not a new event: not counted.
    expect(await collectEvent(db(), ev(n), { headers: BROWSER, now: at("2026-03-01T11:59:30Z") })).toBe("duplicate");
    // Drops: 2 bots in the hour, 1 the day before (outside the day), 1 refused origin, 3 invalid.
    expect(await collectEvent(db(), ev(100), { headers: BOT, now: at("2026-03-01T11:50:00Z") })).toBe("bot");
    expect(await collectEvent(db(), ev(101), { headers: BOT, now: at("2026-03-01T11:50:20Z") })).toBe("bot");
    await collectEvent(db(), ev(102), { headers: BOT, now: at("2026-02-27T11:00:00Z") });
    recordDrop(db(), "origin", at("2026-03-01T11:45:00Z"));
    for (let i = 0; i < 3; i++) recordDrop(db(), "invalid", at("2026-03-01T08:00:00Z"));
    await collectQueueIdle(db());

    expect(await counters()).toEqual([
      { minute: "02-27 11:00", kind: "drop:bot", count: 1 },
      { minute: "02-28 12:00", kind: "event", count: 1 },
      { minute: "02-28 13:00", kind: "event", count: 4 },
      { minute: "03-01 08:00", kind: "drop:invalid", count: 3 },
      { minute: "03-01 11:00", kind: "event", count: 1 },
      { minute: "03-01 11:30", kind: "event", count: 2 },
      { minute: "03-01 11:45", kind: "drop:origin", count: 1 },
      { minute: "03-01 11:50", kind: "drop:bot", count: 2 },
      { minute: "03-01 11:59", kind: "event", count: 3 },
    ]);

    // At 12:00:30, the hour holds buckets 11:01 … 12:00: 11:30 (2) + 11:59 (3) = 5.
    // The day holds buckets after 02-28 12:00:30: 4 + 1 + 2 + 3 = 10.
    // Last event: the greatest time stored, 11:59:10 (later sends of that minute were earlier).
    expect(await trackerHealth(db(), at("2026-03-01T12:00:30Z"))).toEqual({
      events_last_hour: 5,
      events_last_day: 10,
      last_event_at: "2026-03-01T11:59:10.000Z",
      dropped_last_day: { bot: 2, origin: 1, invalid: 3 },
    });
    // Seen from 11:45:00 (buckets after 10:45 up to 11:45): 11:00 (1) + 11:30 (2) = 3 in the hour;
    // the day now starts after 02-28 11:45, so it also holds the 02-28 12:00 event: 1 + 4 + 1 + 2;
    // the 11:59 events and the 11:50 bots are later than "now"; last event 11:30:59.
    expect(await trackerHealth(db(), at("2026-03-01T11:45:00Z"))).toEqual({
      events_last_hour: 3,
      events_last_day: 1 + 4 + 1 + 2,
      last_event_at: "2026-03-01T11:30:59.000Z",
      dropped_last_day: { bot: 0, origin: 1, invalid: 3 },
    });
  });

  it("answers zeros and no last event on an empty table", async () => {
    expect(await trackerHealth(db())).toEqual({
      events_last_hour: 0,
      events_last_day: 0,
      last_event_at: null,
      dropped_last_day: { bot: 0, origin: 0, invalid: 0 },
    });
  });

  it("prunes counter rows of minutes before the cut-off and keeps the rest", async () => {
    for (const [iso, kind] of [
      ["2026-02-26T23:59:00Z", "event"],
      ["2026-02-27T00:00:00Z", "event"],
      ["2026-02-27T00:00:00Z", "drop:bot"],
      ["2026-03-01T00:00:00Z", "event"],
    ] as const) {
      await ctx.handle.db.execute(sql`INSERT INTO tracker_counters (minute, kind, count, last_at) VALUES (${iso}::timestamptz, ${kind}, 1, ${iso}::timestamptz)`);
    }
    await pruneTrackerCounters(db(), at("2026-02-27T00:00:00Z")); // two days before 03-01 00:00
    expect((await counters()).map((c) => `${c.minute} ${c.kind}`)).toEqual(["02-27 00:00 drop:bot", "02-27 00:00 event", "03-01 00:00 event"]);
  });

  it("minute buckets are UTC minutes", () => {
    expect(minuteOf("2026-03-01T11:59:59.999Z")).toBe("2026-03-01T11:59:00.000Z");
    expect(minuteOf(new Date("1969-12-31T23:59:30Z"))).toBe("1969-12-31T23:59:00.000Z");
  });
});
