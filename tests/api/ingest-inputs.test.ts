import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { POST as postOrders } from "@/app/api/ingest/orders/route";
import { POST as postBatch } from "@/app/api/ingest/batch/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { isStorableText, parseNumericId, parseUuid, parseVisitorId, visitorIdProblem } from "@/lib/ids";
import { ingestBatch } from "@/lib/ingest/batch";
import { referrerHost } from "@/lib/ingest/normalize";
import { checkInstant, INSTANT_RANGE_MESSAGE } from "@/lib/ingest/schemas";
import { describeDb } from "../helpers/db";
import { call, eid, sid, type Handler } from "../helpers/ingest";

/** SPEC 16 inputs: datetime bounds, ids, and the referrer/landing dimensions written by batch and orders. */

const OUT_OF_RANGE = ["0000-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59-23:59", "1969-12-31T23:59:59Z"];

describe("datetime bounds (SPEC 16: 1970–9999 after the offset)", () => {
  it("refuses instants outside 1970-01-01 … 9999-12-31 UTC once the offset is applied", () => {
    for (const v of OUT_OF_RANGE) expect(checkInstant(v), v).toEqual({ error: "range" });
    // 1970-01-01T00:30+01:00 is 1969-12-31T23:30Z: out; 9999-12-31T23:59:59+01:00 is 22:59:59Z: in.
    expect(checkInstant("1970-01-01T00:30:00+01:00")).toEqual({ error: "range" });
    expect(checkInstant("9999-12-31T23:59:59+01:00")).toEqual({ iso: "9999-12-31T22:59:59.000Z" });
    expect(checkInstant("1970-01-01T00:00:00Z")).toEqual({ iso: "1970-01-01T00:00:00.000Z" });
    expect(checkInstant("9999-12-31T23:59:59.999Z")).toEqual({ iso: "9999-12-31T23:59:59.999Z" });
    // Month lengths of years below 100 are their own (0004 is a leap year; 0003 is not), not 1900+y's.
    expect(checkInstant("0003-02-29T00:00:00Z")).toEqual({ error: "format" });
    expect(checkInstant("0004-02-29T00:00:00Z")).toEqual({ error: "range" });
  });
});

describe("ids (lib/ids.ts)", () => {
  it("parses UUIDs, numeric keys and visitor ids, refusing NUL and undecodable text", () => {
    expect(parseUuid("00000000-0000-4000-8000-00000000000A")).toBe("00000000-0000-4000-8000-00000000000a");
    expect(parseUuid("00000000-0000-4000-8000-00000000000a\u0000")).toBeUndefined();
    expect(parseUuid("%FF")).toBeUndefined();
    expect(parseUuid(42)).toBeUndefined();
    expect(["1", "999999999"].map(parseNumericId)).toEqual([1, 999999999]);
    expect(["0", "01", "1e3", "-1", "1.0", " 1", "1000000000", "\u0000", "١"].map(parseNumericId)).toEqual(Array(9).fill(undefined));
    expect(parseVisitorId("v-1 ok ✓")).toBe("v-1 ok ✓");
    expect(visitorIdProblem("\u0000")).toBe("must be valid text (no NUL, valid UTF-8)");
    expect(visitorIdProblem("a\udc00")).toBe("must be valid text (no NUL, valid UTF-8)");
    expect(visitorIdProblem("")).toBe("must not be empty");
    expect(visitorIdProblem("x".repeat(65))).toBe("must be at most 64 characters");
    expect(isStorableText("😀")).toBe(true);
  });
});

describe("referrerHost (SPEC 12 referrer dimension)", () => {
  it("answers the lower-case host without www., or (none)", () => {
    expect(referrerHost("https://WWW.Example.COM:8443/a?b=c")).toBe("example.com");
    expect(referrerHost("http://user:pw@news.ycombinator.com/item")).toBe("news.ycombinator.com");
    expect([null, undefined, "", "   ", "not a url", "javascript:alert(1)"].map(referrerHost)).toEqual(Array(6).fill("(none)"));
    // SPEC 17.4: an app referrer names its package.
    expect(referrerHost("android-app://com.google.app/")).toBe("com.google.app");
  });
});

describeDb("ingestion inputs (SPEC 16)", (ctx) => {
  const db = () => ctx.handle.db;
  const token = async () => (await createApiToken(db(), { name: "i", scopes: ["ingest"] })).token;
  const send = async (handler: unknown, path: string, body: unknown, t: string) =>
    call(handler as Handler, path, { body, headers: { authorization: `Bearer ${t}` } });
  const counts = () =>
    rows<{ s: number; e: number; o: number }>(
      db(),
      sql`SELECT (SELECT count(*) FROM sessions)::int AS s, (SELECT count(*) FROM events)::int AS e, (SELECT count(*) FROM orders)::int AS o`,
    );

  it("orders with placed_at outside 1970–9999 answer 400 naming the field, nothing stored", async () => {
    const t = await token();
    for (const placed_at of OUT_OF_RANGE) {
      const r = await send(postOrders, "/api/ingest/orders", { order_id: "o1", total: 1, placed_at }, t);
      expect(r, placed_at).toMatchObject({ status: 400, body: { issues: [{ path: "placed_at", message: INSTANT_RANGE_MESSAGE }] } });
      const arr = await send(postOrders, "/api/ingest/orders", [{ order_id: "o1", total: 1 }, { order_id: "o2", total: 1, placed_at }], t);
      expect(arr, placed_at).toMatchObject({ status: 400, body: { issues: [{ path: "[1].placed_at" }] } });
    }
    expect(await counts()).toEqual([{ s: 0, e: 0, o: 0 }]);
  });

  it("batch sessions, events and orders outside 1970–9999 answer 400 naming each field", async () => {
    const t = await token();
    for (const bad of OUT_OF_RANGE) {
      const r = await send(
        postBatch,
        "/api/ingest/batch",
        {
          sessions: [{ id: sid(1), visitor_id: "v", started_at: bad }],
          events: [{ id: eid(1), session_id: sid(1), type: "page_view", occurred_at: bad }],
          orders: [{ order_id: "o1", total: 1, placed_at: bad }],
        },
        t,
      );
      expect(r.status, bad).toBe(400);
      expect((r.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
        "sessions[0].started_at",
        "events[0].occurred_at",
        "orders[0].placed_at",
      ]);
    }
    expect(await counts()).toEqual([{ s: 0, e: 0, o: 0 }]);
  });

  it("the edges of the range are stored as given", async () => {
    await ingestBatch(db(), {
      sessions: [{ id: sid(1), visitor_id: "v", started_at: "1970-01-01T01:00:00+01:00" }],
      orders: [{ order_id: "o1", visitor_id: "v", total: 1, placed_at: "9999-12-31T23:59:59.999Z" }],
    });
    const got = await rows<{ s: string; o: string }>(
      db(),
      sql`SELECT (SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') FROM sessions) AS s,
                 (SELECT to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') FROM orders) AS o`,
    );
    expect(got).toEqual([{ s: "1970-01-01T00:00:00", o: "9999-12-31T23:59:59.999" }]);
  });

  it("batch writes referrer_host from the referrer; customers copy landing_page and referrer_host from their acquisition session", async () => {
    await ingestBatch(db(), {
      sessions: [
        { id: sid(1), visitor_id: "v1", started_at: "2026-03-01T10:00:00Z", landing_url: "https://shop.test/spring?x=1", referrer: "https://WWW.Blog.Example/post" },
        { id: sid(2), visitor_id: "v2", started_at: "2026-03-01T10:00:00Z", referrer: "not a url" },
        { id: sid(3), visitor_id: "v3", started_at: "2026-03-01T10:00:00Z", landing_url: "https://shop.test/" },
      ],
      orders: [
        { order_id: "o1", visitor_id: "v1", total: 10, placed_at: "2026-03-01T11:00:00Z" },
        { order_id: "o2", visitor_id: "v2", total: 20, placed_at: "2026-03-01T11:00:00Z" },
        { order_id: "o3", customer_id: "c-none", total: 30, placed_at: "2026-03-01T11:00:00Z" },
      ],
    });
    const sessions = await rows<{ id: string; landing_page: string; referrer_host: string }>(
      db(),
      sql`SELECT id::text, landing_page, referrer_host FROM sessions ORDER BY id`,
    );
    expect(sessions).toEqual([
      { id: sid(1), landing_page: "/spring", referrer_host: "blog.example" },
      { id: sid(2), landing_page: "(none)", referrer_host: "(none)" },
      { id: sid(3), landing_page: "/", referrer_host: "(none)" },
    ]);
    const customers = async () =>
      rows<{ customer_id: string; landing_page: string; referrer_host: string }>(
        db(),
        sql`SELECT customer_id, landing_page, referrer_host FROM customers ORDER BY customer_id`,
      );
    expect(await customers()).toEqual([
      { customer_id: "c-none", landing_page: "(none)", referrer_host: "(none)" },
      { customer_id: "visitor:v1", landing_page: "/spring", referrer_host: "blog.example" },
      { customer_id: "visitor:v2", landing_page: "(none)", referrer_host: "(none)" },
    ]);
    // Re-sending the acquisition session with another landing page and referrer updates its customer.
    await ingestBatch(db(), {
      sessions: [{ id: sid(2), visitor_id: "v2", started_at: "2026-03-01T10:00:00Z", landing_url: "https://shop.test/sale", referrer: "https://t.co/x" }],
    });
    expect((await customers())[2]).toEqual({ customer_id: "visitor:v2", landing_page: "/sale", referrer_host: "t.co" });
  });
});
