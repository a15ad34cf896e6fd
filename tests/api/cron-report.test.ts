import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { GET } from "@/app/api/cron/utm-report/route";
import { listSends } from "@/lib/reports/send-log";
import { addSubscription } from "@/lib/reports/subscriptions";
import { reportWindow } from "@/lib/reports/periods";
import { overrideConfig, withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";

let dataDir: string;
let restoreConfig: (() => void) | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "utmd-cron-"));
  restoreConfig = overrideConfig({ DATA_DIR: dataDir, CRON_SECRET: "cron-secret-123", RESEND_API_KEY: undefined, REPORT_RECIPIENTS: undefined });
});
afterEach(() => restoreConfig?.());

const call = (query: string, auth?: string) =>
  GET(new Request(`http://localhost/api/cron/utm-report${query}`, { headers: auth ? { authorization: auth } : {} }), { params: Promise.resolve({}) });
const outbox = () => (existsSync(path.join(dataDir, "outbox")) ? readdirSync(path.join(dataDir, "outbox")) : []);

describeDb("GET /api/cron/utm-report", (ctx) => {
  it("503 without CRON_SECRET, 401 for a missing or wrong secret, 400 for a bad period", async () => {
    await withConfig({ CRON_SECRET: undefined }, async () => {
      const off = await call("?period=week", "Bearer anything");
      expect(off.status).toBe(503);
      expect(await off.json()).toEqual({ error: "The cron route is disabled: set CRON_SECRET to enable it" });
    });
    expect((await call("?period=week")).status).toBe(401);
    expect((await call("?period=week", "Bearer cron-secret-12")).status).toBe(401);
    expect((await call("?period=week", "Basic cron-secret-123")).status).toBe(401);
    const bad = await call("?period=year", "Bearer cron-secret-123");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "Invalid parameter: period", issues: [{ path: "period", message: "must be one of day, week, month" }] });
    expect((await call("", "Bearer cron-secret-123")).status).toBe(400);
    // Two different periods at once are ambiguous (SPEC 21), never "the last one".
    const twice = await call("?period=week&period=day", "Bearer cron-secret-123");
    expect([twice.status, (await twice.json()).issues]).toEqual([400, [{ path: "period", message: "must be given once (it was given with different values)" }]]);
    expect(await listSends(ctx.handle.db)).toEqual([]);
  });

  it("two concurrent fires send each subscriber one message and log one row each", async () => {
    const db = ctx.handle.db;
    await addSubscription(db, { email: "boss@shop.example", period: "week", language: "en" });
    await addSubscription(db, { email: "month-only@shop.example", period: "month" });
    const [a, b] = await Promise.all([call("?period=week", "Bearer cron-secret-123"), call("?period=week", "Bearer cron-secret-123")]);
    const bodies = [await a.json(), await b.json()];
    expect([a.status, b.status]).toEqual([200, 200]);
    const w = reportWindow("week");
    // One fire sent, the other found the claim taken and skipped.
    expect(bodies.map((x) => `${x.sent}/${x.skipped}/${x.failed}`).sort()).toEqual(["0/1/0", "1/0/0"]);
    expect(bodies[0]).toMatchObject({ period: "week", start: w.current.start, end: w.current.end });
    expect(outbox()).toHaveLength(1);
    expect(outbox()[0]).toContain("boss@shop.example");
    const log = await listSends(db);
    expect(log.map((r) => [r.recipient, r.status, r.period])).toEqual([["boss@shop.example", "sent", "week"]]);
    // A third, later fire (the scheduler retrying) sends nothing either.
    expect(await (await call("?period=week", "Bearer cron-secret-123")).json()).toMatchObject({ sent: 0, skipped: 1 });
    expect(outbox()).toHaveLength(1);
  });
});
