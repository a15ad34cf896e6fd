import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runReport } from "@/cli/commands/report";
import { rows } from "@/lib/db/client";
import { listSends } from "@/lib/reports/send-log";
import { addSubscription } from "@/lib/reports/subscriptions";
import { overrideConfig, withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { loadReportFixture, NOW } from "../fixtures/report-db-fixture";

let dataDir: string;
let restoreConfig: (() => void) | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "utmd-report-"));
  restoreConfig = overrideConfig({ DATA_DIR: dataDir, RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined, REPORT_RECIPIENTS: undefined, REPORT_FROM: undefined });
});
afterEach(() => {
  process.exitCode = undefined;
  restoreConfig?.();
});

const outboxEntries = () => (existsSync(path.join(dataDir, "outbox")) ? readdirSync(path.join(dataDir, "outbox")) : []);

describeDb("npm run utm -- report", (ctx) => {
  it("--dry-run prints the text and the HTML path, and sends nothing (no outbox message, no send-log row)", async () => {
    const db = ctx.handle.db;
    await loadReportFixture(db);
    const lines: string[] = [];
    const res = await runReport(db, { period: "week", dryRun: true, lang: "en", now: NOW, recipients: ["boss@shop.example"] }, (l) => lines.push(l));
    const htmlPath = path.join(dataDir, "outbox", "dry-run-week-2026-01-05-en.html");
    expect(res).toEqual({ dryRun: true, htmlPath });
    expect(readFileSync(htmlPath, "utf8")).toContain("Top sources");
    expect(lines).toContain("KEY FIGURES");
    expect(lines.some((l) => /^Sessions +44 /.test(l))).toBe(true);
    expect(lines).toContain(`Dry run: nothing was sent. HTML version: ${htmlPath}`);
    // Only the dry-run file: no message directory, and no send-log row.
    expect(outboxEntries()).toEqual(["dry-run-week-2026-01-05-en.html"]);
    expect(await listSends(db)).toEqual([]);
  });

  it("without RESEND_API_KEY writes one outbox message per recipient with html, text and CSVs; a second run skips", async () => {
    const db = ctx.handle.db;
    await loadReportFixture(db);
    const lines: string[] = [];
    const s = await runReport(db, { period: "week", recipients: ["boss@shop.example", "ann@shop.example"], lang: "uk", now: NOW }, (l) => lines.push(l));
    expect(s).toMatchObject({ period: "week", start: "2026-01-05", end: "2026-01-11", sent: 2, skipped: 0, failed: 0 });
    const dirs = outboxEntries();
    expect(dirs).toHaveLength(2);
    // <timestamp>-<period>-<period start>-<recipient>
    expect(dirs.find((d) => d.endsWith("ann@shop.example"))).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-week-2026-01-05-ann@shop\.example$/);
    const msgDir = path.join(dataDir, "outbox", dirs.find((d) => d.endsWith("boss@shop.example"))!);
    expect(readdirSync(msgDir).sort()).toEqual([
      "headers.json",
      "message.html",
      "message.txt",
      "utm-campaigns-2026-01-05-2026-01-11.csv",
      "utm-ltv-2026-01-05-2026-01-11.csv",
      "utm-sources-2026-01-05-2026-01-11.csv",
    ]);
    expect(JSON.parse(readFileSync(path.join(msgDir, "headers.json"), "utf8"))).toMatchObject({ to: "boss@shop.example", from: "UTM Dispatcher <reports@localhost>" });
    expect(readFileSync(path.join(msgDir, "message.txt"), "utf8")).toContain("КЛЮЧОВІ ПОКАЗНИКИ");
    // newsletter: 40 sessions of 40 distinct visitors (x1..x20, y1..y20), 11 converted with 11 orders of 10:
    // rate 11/40 = 27.5 %, revenue 110, aov 110/11 = 10, revenue per session 110/40 = 2.75.
    expect(readFileSync(path.join(msgDir, "utm-sources-2026-01-05-2026-01-11.csv"), "utf8").split("\r\n")[1]).toBe("newsletter,40,40,11,27.5,11,110,10,2.75");
    expect(lines.at(-1)).toBe("week report 2026-01-05..2026-01-11: 2 sent, 0 skipped, 0 failed");
    const log = await listSends(db);
    expect(log.map((r) => [r.recipient, r.status, r.message_id?.startsWith(path.join(dataDir, "outbox"))]).sort()).toEqual([
      ["ann@shop.example", "sent", true],
      ["boss@shop.example", "sent", true],
    ]);

    // Again: both skipped, nothing new in the outbox. With --force: sent again.
    const again = await runReport(db, { period: "week", recipients: ["boss@shop.example", "ann@shop.example"], now: NOW }, () => {});
    expect(again).toMatchObject({ sent: 0, skipped: 2, failed: 0 });
    expect(outboxEntries()).toHaveLength(2);
    const forced = await runReport(db, { period: "week", recipients: ["boss@shop.example"], force: true, now: NOW }, () => {});
    expect(forced).toMatchObject({ sent: 1, skipped: 0 });
    expect(outboxEntries()).toHaveLength(3);
    expect(process.exitCode).toBeUndefined();
  });

  it("recipients: the flag, else REPORT_RECIPIENTS, else the period's subscriptions; none → error", async () => {
    const db = ctx.handle.db;
    await addSubscription(db, { email: "weekly@shop.example", period: "week", language: "en" });
    await addSubscription(db, { email: "monthly@shop.example", period: "month" });
    const s1 = await runReport(db, { period: "week", now: NOW }, () => {});
    expect("results" in s1 && s1.results.map((r) => r.recipient)).toEqual(["weekly@shop.example"]);
    await withConfig({ REPORT_RECIPIENTS: "env1@shop.example, env2@shop.example" }, async () => {
      const s2 = await runReport(db, { period: "week", now: NOW }, () => {});
      expect("results" in s2 && s2.results.map((r) => r.recipient)).toEqual(["env1@shop.example", "env2@shop.example"]);
    });
    await expect(runReport(db, { period: "day", now: NOW }, () => {})).rejects.toThrow("No recipients for the day report");
  });

  it("a failed delivery is logged as failed, exits non-zero, and the next run retries it", async () => {
    const db = ctx.handle.db;
    // A Resend key with an API address where nothing listens (port 9, discard): every send fails.
    await withConfig({ RESEND_API_KEY: "re_test_fail", RESEND_BASE_URL: "http://127.0.0.1:9" }, async () => {
      const lines: string[] = [];
      const s = await runReport(db, { period: "week", recipients: ["boss@shop.example"], now: NOW }, (l) => lines.push(l));
      expect(s).toMatchObject({ sent: 0, failed: 1 });
      expect(process.exitCode).toBe(1);
      expect(lines[0]).toMatch(/^FAILED   boss@shop\.example: Resend: application_error/);
      const [row] = await rows<{ status: string }>(db, sql`select status from report_sends`);
      expect(row.status).toBe("failed");
    });
    // Back to the outbox: the failed send is retried without --force.
    process.exitCode = undefined;
    expect(await runReport(db, { period: "week", recipients: ["boss@shop.example"], now: NOW }, () => {})).toMatchObject({ sent: 1, failed: 0 });
  });
});
