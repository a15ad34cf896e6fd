import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cronLine, mergeCrontab, runSetupReports, type CrontabIo } from "@/cli/commands/setup-reports";
import { deliverySettings, readReportSettings } from "@/lib/reports/report-settings";
import { listSubscriptions } from "@/lib/reports/subscriptions";
import { overrideConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";

let dataDir: string;
let restoreConfig: (() => void) | undefined;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "utmd-setup-"));
  restoreConfig = overrideConfig({ DATA_DIR: dataDir, RESEND_API_KEY: undefined, REPORT_FROM: undefined });
});
afterAll(() => restoreConfig?.());

function fakeCrontab(initial: string): CrontabIo & { content: string; writes: number } {
  const tab = {
    content: initial,
    writes: 0,
    read: () => tab.content,
    write: (c: string) => {
      tab.content = c;
      tab.writes++;
    },
  };
  return tab;
}

describeDb("setup-reports", (ctx) => {
  it("stores key (mode 600), settings and one subscription per recipient and period; installs crontab lines once", async () => {
    const db = ctx.handle.db;
    const lines: string[] = [];
    const tab = fakeCrontab("MAILTO=ops@shop.example\n");
    const input = {
      apiKey: "re_AbC_123",
      from: "Reports <reports@shop.example>",
      recipients: "Ann@Shop.example, bob@shop.example",
      schedule: "both",
      lang: "en",
      installCrontab: true,
      yes: true,
    };
    const res = await runSetupReports(db, input, { out: (l) => lines.push(l), crontab: tab, cwd: "/srv/utm" });
    expect(res.periods).toEqual(["week", "month"]);
    // The key file: only the owner may read it.
    const keyFile = path.join(dataDir, "reports.env");
    expect(res.keyFile).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, "utf8")).toContain("RESEND_API_KEY=re_AbC_123\n");
    // What a send will use when RESEND_API_KEY is not in the environment.
    expect(await deliverySettings(db)).toMatchObject({ apiKey: "re_AbC_123", from: "Reports <reports@shop.example>", defaultLanguage: "en" });
    expect(await readReportSettings(db)).toEqual({ from: "Reports <reports@shop.example>", recipients: ["ann@shop.example", "bob@shop.example"], schedule: ["week", "month"], language: "en" });
    // 2 recipients × 2 periods = 4 subscriptions.
    expect((await listSubscriptions(db)).map((s) => `${s.period}:${s.email}:${s.language}`)).toEqual([
      "month:ann@shop.example:en",
      "month:bob@shop.example:en",
      "week:ann@shop.example:en",
      "week:bob@shop.example:en",
    ]);
    expect(tab.content).toBe(
      "MAILTO=ops@shop.example\n" +
        "0 7 * * 1 cd /srv/utm && npm run utm -- report --period week >> .data/report.log 2>&1\n" +
        "0 7 1 * * cd /srv/utm && npm run utm -- report --period month >> .data/report.log 2>&1\n",
    );
    // Running it again changes nothing: no duplicate subscriptions, no duplicate crontab lines.
    await runSetupReports(db, input, { out: (l) => lines.push(l), crontab: tab, cwd: "/srv/utm" });
    expect(tab.writes).toBe(1);
    expect(await listSubscriptions(db)).toHaveLength(4);
    expect(lines).toContain("The crontab already has these lines; nothing changed.");
  });

  it("without --install-crontab prints the line; answers prompts; rejects bad input", async () => {
    const db = ctx.handle.db;
    const lines: string[] = [];
    const asked: string[] = [];
    const answers = ["", "shop <noreply@shop.example>", "ceo@shop.example", "weekly", "uk"];
    await runSetupReports(db, {}, { out: (l) => lines.push(l), prompt: async (q) => (asked.push(q), answers.shift() ?? ""), cwd: "/opt/my shop" });
    expect(asked).toHaveLength(5);
    expect(lines).toContain("  0 7 * * 1 cd '/opt/my shop' && npm run utm -- report --period week >> .data/report.log 2>&1");
    expect((await listSubscriptions(db)).map((s) => `${s.period}:${s.email}:${s.language}`)).toEqual(["week:ceo@shop.example:uk"]);

    const quiet = { out: () => {} };
    await expect(runSetupReports(db, { apiKey: "sk_live_1", recipients: "a@b.example", schedule: "weekly", yes: true }, quiet)).rejects.toThrow("must look like re_");
    await expect(runSetupReports(db, { recipients: "a@b.example, not-mail", schedule: "weekly", yes: true }, quiet)).rejects.toThrow("Not an e-mail address: not-mail");
    await expect(runSetupReports(db, { recipients: "a@b.example", schedule: "hourly", yes: true }, quiet)).rejects.toThrow("--schedule must be");
    await expect(runSetupReports(db, { from: "nobody", recipients: "a@b.example", schedule: "weekly", yes: true }, quiet)).rejects.toThrow('The sender "nobody"');
  });
});

it("crontab merge is idempotent and keeps existing lines", () => {
  const line = cronLine("week", "/srv/utm");
  expect(mergeCrontab("", [line])).toBe(`${line}\n`);
  expect(mergeCrontab(`# mine\n${line}\n`, [line])).toBe(`# mine\n${line}\n`);
  expect(mergeCrontab("# no newline", [line])).toBe(`# no newline\n${line}\n`);
});
