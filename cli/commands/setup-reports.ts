import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { ReportPeriod } from "@/lib/reports/periods";
import { DEFAULT_FROM, RESEND_KEY_PATTERN, readReportSettings, writeReportSettings, writeReportsEnv } from "@/lib/reports/report-settings";
import { addSubscription, type ReportLanguage } from "@/lib/reports/subscriptions";
import { action, CliError, stdout, withDb, type CliCommand, type Out } from "../context";

/**
 * `npm run utm -- setup-reports` (SPEC 7, the seed's setup_utm_email_reports.sh): asks for the
 * Resend API key, sender, recipients and schedule — or takes them as flags for scripts — checks
 * them, stores them (key → <DATA_DIR>/reports.env mode 600; the rest → app_settings `reports`
 * plus one subscription per recipient and period), and prints or installs the crontab lines.
 */

export type Schedule = "weekly" | "monthly" | "both" | "daily";
const SCHEDULE_PERIODS: Record<Schedule, ReportPeriod[]> = { weekly: ["week"], monthly: ["month"], both: ["week", "month"], daily: ["day"] };
/** Cron expressions of each period, in the machine's local time (07:00, like vercel.json). */
const CRON_SCHEDULE: Record<ReportPeriod, string> = { day: "0 7 * * *", week: "0 7 * * 1", month: "0 7 1 * *" };

const emailList = z.array(z.email()).min(1);

export type SetupInput = {
  apiKey?: string;
  from?: string;
  recipients?: string;
  schedule?: string;
  lang?: string;
  installCrontab?: boolean;
  yes?: boolean;
};

export type SetupResult = { periods: ReportPeriod[]; recipients: string[]; cronLines: string[]; keyFile?: string; crontabInstalled: boolean };

/** Reads and writes the user's crontab; swapped in tests. */
export type CrontabIo = { read: () => string; write: (content: string) => void };
export const systemCrontab: CrontabIo = {
  read: () => {
    const r = spawnSync("crontab", ["-l"], { encoding: "utf8" });
    if (r.error) throw new CliError(`crontab is not available: ${r.error.message}`);
    // "no crontab for user" exits 1: an empty crontab, not an error.
    return r.status === 0 ? r.stdout : "";
  },
  write: (content) => {
    const r = spawnSync("crontab", ["-"], { input: content, encoding: "utf8" });
    if (r.error || r.status !== 0) throw new CliError(`crontab - failed: ${r.error?.message ?? r.stderr.trim()}`);
  },
};

export type Prompt = (question: string, fallback?: string) => Promise<string>;

export function cronLine(period: ReportPeriod, dir: string): string {
  return `${CRON_SCHEDULE[period]} cd ${shellQuote(dir)} && npm run utm -- report --period ${period} >> .data/report.log 2>&1`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Adds the lines that are not there yet; returns the new crontab (unchanged when all exist). */
export function mergeCrontab(current: string, lines: string[]): string {
  const have = new Set(current.split("\n").map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l));
  if (missing.length === 0) return current;
  const base = current === "" || current.endsWith("\n") ? current : current + "\n";
  return base + missing.join("\n") + "\n";
}

function parseSchedule(v: string): Schedule {
  const s = v.trim().toLowerCase();
  const alias: Record<string, Schedule> = { week: "weekly", month: "monthly", day: "daily", "week,month": "both" };
  const out = (alias[s] ?? s) as Schedule;
  if (!(out in SCHEDULE_PERIODS)) throw new CliError(`--schedule must be weekly, monthly, both or daily (got "${v}")`);
  return out;
}

export async function runSetupReports(
  db: Db,
  input: SetupInput,
  io: { out?: Out; prompt?: Prompt; crontab?: CrontabIo; cwd?: string } = {},
): Promise<SetupResult> {
  const out = io.out ?? stdout;
  const stored = await readReportSettings(db);
  const ask = async (question: string, given: string | undefined, fallback: string | undefined): Promise<string | undefined> => {
    if (given !== undefined) return given;
    if (io.prompt && !input.yes) return (await io.prompt(question, fallback)) || fallback;
    return fallback;
  };

  const apiKey = (await ask("Resend API key (re_..., empty: write reports to .data/outbox)", input.apiKey, undefined))?.trim();
  if (apiKey && !RESEND_KEY_PATTERN.test(apiKey)) throw new CliError("The Resend API key must look like re_xxxxxxxx (letters, digits, underscores)");
  const from = (await ask("Sender (e.g. Reports <reports@your-shop.com>)", input.from, stored.from ?? DEFAULT_FROM))!.trim();
  const fromAddress = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!z.email().safeParse(fromAddress).success) throw new CliError(`The sender "${from}" is not an e-mail address (name <address> is fine)`);

  const recipientsRaw = await ask("Recipients (comma-separated e-mails)", input.recipients, stored.recipients.join(",") || undefined);
  const recipients = (recipientsRaw ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = recipients.filter((r) => !z.email().safeParse(r).success);
  if (bad.length) throw new CliError(`Not an e-mail address: ${bad.join(", ")}`);
  if (!emailList.safeParse(recipients).success) throw new CliError("At least one recipient is needed (--recipients a@x,b@y)");

  const storedSchedule: Schedule | undefined =
    stored.schedule.length === 2 ? "both" : stored.schedule[0] === "week" ? "weekly" : stored.schedule[0] === "month" ? "monthly" : stored.schedule[0] === "day" ? "daily" : undefined;
  const schedule = parseSchedule((await ask("Schedule: weekly, monthly or both", input.schedule, storedSchedule ?? "weekly"))!);
  const langRaw = (await ask("Language of the report: uk or en", input.lang, stored.language))!.trim().toLowerCase();
  if (langRaw !== "uk" && langRaw !== "en") throw new CliError("--lang must be uk or en");
  const language: ReportLanguage = langRaw;
  const periods = SCHEDULE_PERIODS[schedule];

  let keyFile: string | undefined;
  if (apiKey) keyFile = writeReportsEnv({ RESEND_API_KEY: apiKey });
  await writeReportSettings(db, { from, recipients, schedule: periods, language });
  for (const email of recipients) for (const period of periods) await addSubscription(db, { email, period, language });

  out(`Saved: sender ${from}, ${recipients.length} recipient(s), schedule ${schedule} (${periods.join(", ")}), language ${language}.`);
  out(keyFile ? `Resend API key stored in ${keyFile} (mode 600).` : "No Resend API key: reports are written to .data/outbox/ (set RESEND_API_KEY or re-run with --api-key).");

  const cronLines = periods.map((p) => cronLine(p, io.cwd ?? process.cwd()));
  let crontabInstalled = false;
  if (input.installCrontab) {
    const tab = io.crontab ?? systemCrontab;
    const current = tab.read();
    const next = mergeCrontab(current, cronLines);
    if (next !== current) tab.write(next);
    crontabInstalled = true;
    out(next === current ? "The crontab already has these lines; nothing changed." : "Installed in your crontab:");
    for (const l of cronLines) out(`  ${l}`);
  } else {
    out("For a self-hosted install, add these lines to your crontab (`crontab -e`), or re-run with --install-crontab:");
    for (const l of cronLines) out(`  ${l}`);
    out("On Vercel, vercel.json already schedules /api/cron/utm-report (set CRON_SECRET).");
  }
  out(`Try it now: npm run utm -- report --period ${periods[0]} --dry-run`);
  return { periods, recipients, cronLines, keyFile, crontabInstalled };
}

function terminalPrompt(): { prompt: Prompt; close: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  return {
    prompt: (q, fallback) => rl.question(fallback ? `${q} [${fallback}]: ` : `${q}: `),
    close: () => rl.close(),
  };
}

export const setupReportsCommand: CliCommand = (program) => {
  program
    .command("setup-reports")
    .description("set up e-mail reports: Resend key, sender, recipients, schedule; prints or installs the crontab line")
    .option("--api-key <key>", "Resend API key (re_...); omit to write reports to .data/outbox")
    .option("--from <sender>", "sender, e.g. 'Reports <reports@shop.com>'")
    .option("--recipients <emails>", "comma-separated e-mail addresses")
    .option("--schedule <s>", "weekly | monthly | both | daily")
    .option("--lang <lang>", "uk | en")
    .option("--install-crontab", "add the crontab lines (idempotent)")
    .option("--yes", "never prompt; use flags and stored values")
    .action(
      action(async (opts: SetupInput) => {
        // Prompts only on a terminal: a script (stdin not a TTY) runs on its flags alone.
        const interactive = process.stdin.isTTY === true && !opts.yes;
        const term = interactive ? terminalPrompt() : undefined;
        try {
          await withDb((db) => runSetupReports(db, opts, { prompt: term?.prompt }).then(() => undefined));
        } finally {
          term?.close();
        }
      }),
    );
};
