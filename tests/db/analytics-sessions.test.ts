import { expect, it } from "vitest";
import { ingestBatch } from "@/lib/ingest/batch";
import { getSessionDetail } from "@/lib/analytics/session-detail";
import { decodeCursor, encodeCursor, getSessionsList, parseSessionsParams } from "@/lib/analytics/sessions-list";
import { AppError } from "@/lib/errors";
import { statusOf } from "@/lib/http/errors";
import { describeDb } from "../helpers/db";
import { id, loadFixture, march, S } from "../fixtures/analytics-fixture";

describeDb("analytics: sessions list and session detail", (ctx) => {
  it("newest first, keyset cursor pages through every session once", async () => {
    await loadFixture(ctx.handle.db);
    const db = ctx.handle.db;
    const p1 = await getSessionsList(db, march(), { limit: 2 });
    expect(p1.items.map((i) => i.id)).toEqual([S.S5, S.S4]);
    expect(p1.items[0]).toEqual({
      id: S.S5, started_at: "2026-03-20T10:00:00.000Z", visitor_id: "v2", utm_source: "google", utm_medium: "cpc",
      utm_campaign: "summer", utm_content: "(none)", utm_term: "(none)", channel: "Paid Search", country: "PL", device: "desktop",
      browser: "Chrome", os: "Windows", page_views: 2, is_returning: true, is_converted: false, revenue: 0,
    });
    const p2 = await getSessionsList(db, march(), { limit: 2, cursor: decodeCursor(p1.next_cursor!) });
    expect(p2.items.map((i) => [i.id, i.is_converted, i.revenue])).toEqual([[S.S3, true, 250.5], [S.S2, false, 0]]);
    const p3 = await getSessionsList(db, march(), { limit: 2, cursor: decodeCursor(p2.next_cursor!) });
    expect(p3.items.map((i) => i.id)).toEqual([S.S1]);
    expect(p3.next_cursor).toBeNull();
    // Default limit 50 holds all 5; filters apply.
    expect((await getSessionsList(db, march({ utm_source: "google" }))).items.map((i) => i.id)).toEqual([S.S5, S.S2, S.S1]);
  });

  it("sessions starting at the same instant page by id without loss or repeat", async () => {
    const at = "2026-03-10T10:00:00.123456Z"; // microseconds survive the cursor
    await ingestBatch(ctx.handle.db, {
      sessions: [1, 2, 3].map((n) => ({ id: id(n), visitor_id: `t${n}`, started_at: at })),
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: Awaited<ReturnType<typeof getSessionsList>> = await getSessionsList(ctx.handle.db, march(), {
        limit: 1,
        cursor: cursor ? decodeCursor(cursor) : undefined,
      });
      seen.push(...page.items.map((x) => x.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([id(3), id(2), id(1)]);
  });

  it("cursor and limit validation name the parameter", () => {
    const issuePath = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? [statusOf(e), e.issues?.[0]?.path] : e;
      }
      return "no error";
    };
    expect(issuePath(() => parseSessionsParams(new URLSearchParams("cursor=%%%")))).toEqual([400, "cursor"]);
    expect(issuePath(() => parseSessionsParams(new URLSearchParams("cursor=" + Buffer.from("x|y").toString("base64url"))))).toEqual([400, "cursor"]);
    expect(issuePath(() => parseSessionsParams(new URLSearchParams("limit=0")))).toEqual([400, "limit"]);
    expect(issuePath(() => parseSessionsParams(new URLSearchParams("limit=201")))).toEqual([400, "limit"]);
    expect(parseSessionsParams(new URLSearchParams("limit=200")).limit).toBe(200);
    const c = { micros: "1773309600000000", id: id(7) };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it("session detail: fields, events in time order, orders of any status", async () => {
    await loadFixture(ctx.handle.db);
    const d = await getSessionDetail(ctx.handle.db, S.S1);
    expect(d).toMatchObject({ id: S.S1, visitor_id: "v1", landing_url: "https://shop.example/landing", referrer: null, page_views: 3, is_converted: true, revenue: 100 });
    expect(d.events.map((e) => [e.type, e.path, e.occurred_at])).toEqual([
      ["page_view", "/p0", "2026-03-02T10:00:00.000Z"],
      ["page_view", "/p1", "2026-03-02T10:00:01.000Z"],
      ["page_view", "/p2", "2026-03-02T10:00:02.000Z"],
      ["product_view", null, "2026-03-02T10:01:00.000Z"],
      ["add_to_cart", null, "2026-03-02T10:02:00.000Z"],
      ["checkout_start", null, "2026-03-02T10:03:00.000Z"],
    ]);
    // The refunded order is listed too (session detail shows every attributed order).
    expect(d.orders).toEqual([
      { order_id: "o1", total: 100, currency: "UAH", total_original: 100, status: "paid", placed_at: "2026-03-02T10:05:00.000Z" },
      { order_id: "o1r", total: 40, currency: "UAH", total_original: 40, status: "refunded", placed_at: "2026-03-02T10:06:00.000Z" },
    ]);
  });

  it("session detail: unknown or malformed id is 404", async () => {
    await loadFixture(ctx.handle.db);
    for (const bad of [id(12345), "not-a-uuid", "'; drop table sessions; --", S.BOT]) {
      await expect(getSessionDetail(ctx.handle.db, bad)).rejects.toMatchObject({ code: "not_found" });
    }
  });
});
