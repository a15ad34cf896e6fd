import { sql } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { GET as attribution } from "@/app/api/utm/attribution/route";
import { GET as attributionCompare } from "@/app/api/utm/attribution/compare/route";
import { GET as timeseries } from "@/app/api/utm/timeseries/route";
import { getAttributionCompare } from "@/lib/analytics/attribution";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { withRefreshDeadline } from "@/lib/analytics/rollups/deadline";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/errors";
import { ingestOrders } from "@/lib/ingest/orders";
import { describeDb } from "../helpers/db";
import { call, type Handler } from "../helpers/ingest";
import { loadFixture } from "../fixtures/analytics-fixture";

vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => undefined }));

/**
 * SPEC 21 / issue 22: reports over 1970-01-01…2999-12-31. Attribution walked every day of such a
 * range in JS (376,000 days of zone arithmetic: 25 s, then a stack overflow and a 500); it now
 * cuts the range to the days holding orders. A series by day over it is refused naming the
 * longest range; a report that would prepare day cells past STATEMENT_TIMEOUT_MS stops with 503
 * and goes on where it stopped when asked again; a statement timeout is a 503 naming the setting.
 */

const WIDE = "start_date=1970-01-01&end_date=2999-12-31";

describeDb("reports over the widest range", (ctx) => {
  const get = async (h: unknown, path: string, token: string) =>
    call(h as Handler, path, { method: "GET", headers: { authorization: `Bearer ${token}` } });

  it("attribution and its comparison for 1970…2999 answer what the data's own span answers", async () => {
    const db = ctx.handle.db;
    await loadFixture(db);
    const { token } = await createApiToken(db, { name: "r", scopes: ["read"] });
    const wide = await get(attribution, `/api/utm/attribution?${WIDE}`, token);
    expect(wide.status).toBe(200);
    // last_non_direct by source, the paid orders (fixture): o1 100 (S1 google), o5 999 (S6 google)
    // → google 1099 from 2; o2 200.50 and o3 50 name S3 (facebook) → facebook 250.5 from 2.
    // o1r is refunded and o4 pending.
    const body = wide.body as { rows: { key: string; conversions: number; revenue: number }[]; total: unknown; unattributed: unknown };
    expect(body.rows.map((r) => [r.key, r.conversions, r.revenue])).toEqual([
      ["google", 2, 1099],
      ["facebook", 2, 250.5],
    ]);
    expect(body.total).toEqual({ conversions: 4, revenue: 1349.5 });
    const span = await get(attribution, "/api/utm/attribution?start_date=2026-02-01&end_date=2026-04-30", token);
    expect(wide.body).toEqual(span.body);

    const cmp = await get(attributionCompare, `/api/utm/attribution/compare?${WIDE}`, token);
    const cmpSpan = await get(attributionCompare, "/api/utm/attribution/compare?start_date=2026-02-01&end_date=2026-04-30", token);
    expect(cmp.status).toBe(200);
    expect(cmp.body).toEqual(cmpSpan.body);

    // A range that holds no order answers empty at once.
    const none = await get(attribution, "/api/utm/attribution?start_date=1970-01-01&end_date=1999-12-31", token);
    expect(none.body).toMatchObject({ rows: [], total: { conversions: 0, revenue: 0 }, unattributed: { orders: 0, revenue: 0 } });
  });

  it("an order in 1971 and the fixture's in 2026: 55 years between them answer 200", async () => {
    const db = ctx.handle.db;
    await loadFixture(db);
    await ingestOrders(db, [{ order_id: "old", total: 7, status: "paid", placed_at: "1971-06-01T12:00:00Z" }]);
    const { token } = await createApiToken(db, { name: "r", scopes: ["read"] });
    const wide = await get(attribution, `/api/utm/attribution?${WIDE}`, token);
    expect(wide.status).toBe(200);
    // The 1971 order has no visitor: unattributed 1 order of 7; the credited rows as before.
    expect(wide.body).toMatchObject({ total: { conversions: 4, revenue: 1349.5 }, unattributed: { orders: 1, revenue: 7 } });
  });

  it("a report stopped at its deadline keeps what it prepared and finishes on later asks", async () => {
    const db = ctx.handle.db;
    await loadFixture(db);
    const q = parseAnalyticsQuery({ start_date: "2026-02-01", end_date: "2026-04-30" }, { tz: "UTC" });
    // Days with paid or other orders: 28 Feb, 2 Mar, 5 Mar, 10 Apr — four runs of one day each
    // (no two consecutive), so a deadline already past lets each ask compute one run: three 503s
    // (4, 3, then 2 days lacking), and the fourth ask computes the last day and answers.
    const messages: string[] = [];
    let answer: unknown;
    for (let ask = 0; ask < 6 && answer === undefined; ask++) {
      try {
        answer = await withRefreshDeadline(0, () => getAttributionCompare(db, q, "utm_source", { path: "cells" }));
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        const res = errorResponse(err);
        expect([res.status, res.headers.get("retry-after")]).toEqual([503, "2"]);
        messages.push(((await res.json()) as { error: string }).error);
      }
    }
    expect(messages.map((m) => /: (\d of the \d) days it lacked/.exec(m)?.[1])).toEqual(["1 of the 4", "1 of the 3", "1 of the 2"]);
    expect(messages[0]).toContain("STATEMENT_TIMEOUT_MS");
    expect(answer).toEqual(await getAttributionCompare(db, q, "utm_source", { path: "raw" }));
  });

  it("a series by day over 1970…2999 is 400 naming the longest range; by month it answers every month", async () => {
    const db = ctx.handle.db;
    await loadFixture(db);
    const { token } = await createApiToken(db, { name: "r", scopes: ["read"] });
    const day = await get(timeseries, `/api/utm/timeseries?${WIDE}&interval=day`, token);
    expect(day.status).toBe(400);
    expect((day.body as { error: string }).error).toBe(
      "interval=day allows ranges of at most 15000 days (15000 buckets); choose a longer interval or a shorter range",
    );
    const month = await get(timeseries, `/api/utm/timeseries?${WIDE}`, token);
    expect(month.status).toBe(200);
    // 1970-01 … 2999-12: 1030 years × 12 months.
    expect((month.body as { interval: string; points: unknown[] })).toMatchObject({ interval: "month" });
    expect((month.body as { points: unknown[] }).points).toHaveLength(12_360);
  });

  it("a statement stopped by statement_timeout is a 503 naming STATEMENT_TIMEOUT_MS, never a 500", async () => {
    const synthetic = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    const wrapped = new Error("Failed query: select …", { cause: synthetic });
    const res = errorResponse(wrapped);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toBe(
      "The query ran longer than STATEMENT_TIMEOUT_MS (10000 ms) and was stopped; choose a shorter range or fewer filters",
    );
    if (ctx.driver !== "postgres") return;
    // The real thing on PostgreSQL: the server cancels the statement.
    const err = await ctx.handle.db
      .transaction(async (tx) => {
        await rows(tx, sql`set local statement_timeout = 50`);
        await rows(tx, sql`select pg_sleep(1)`);
      })
      .catch((e: unknown) => e);
    expect(errorResponse(err).status).toBe(503);
  });
});
