import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidArgumentError } from "commander";
import { z } from "zod";
import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import type { Locale as ReportLang } from "@/lib/i18n";
import { buildReport } from "@/lib/reports/build-report";
import { outboxDir } from "@/lib/reports/deliver";
import { isReportPeriod, REPORT_PERIODS, reportWindow, type ReportPeriod } from "@/lib/reports/periods";
import { renderReport } from "@/lib/reports/render";
import { deliverySettings } from "@/lib/reports/report-settings";
import { recipientsForCli, sendReports, type SendSummary } from "@/lib/reports/send-reports";
import { action, CliError, stdout, withDb, type CliCommand, type Out } from "../context";

/**
 * `npm run utm -- report --period day|week|month [--recipients a@x,b@y] [--dry-run] [--force] [--lang uk|en]`
 * (SPEC 7, the seed's send_utm_report). Exits non-zero when any send failed, so a crontab line
 * or CI job never reports success for a report nobody got.
 */

export type ReportOptions = { period: ReportPeriod; recipients?: string[]; dryRun?: boolean; force?: boolean; lang?: ReportLang; now?: Date };

const emails = z.array(z.email("is not an e-mail address"));

export async function runReport(db: Db, opts: ReportOptions, out: Out = stdout): Promise<SendSummary | { dryRun: true; htmlPath: string }> {
  const now = opts.now ?? new Date();
  if (opts.dryRun) {
    const window = reportWindow(opts.period, now);
    const lang = opts.lang ?? (await deliverySettings(db)).defaultLanguage;
    const rendered = await renderReport(await buildReport(db, window, { now }), lang);
    // Outside any message directory, so the outbox still holds only messages that were "sent".
    const htmlPath = path.join(outboxDir(), `dry-run-${opts.period}-${window.current.start}-${lang}.html`);
    mkdirSync(path.dirname(htmlPath), { recursive: true });
    writeFileSync(htmlPath, rendered.html);
    out(`Subject: ${rendered.subject}`);
    out("");
    for (const line of rendered.text.trimEnd().split("\n")) out(line);
    out("");
    out(`Dry run: nothing was sent. HTML version: ${htmlPath}`);
    out(`Attachments: ${rendered.attachments.map((a) => a.filename).join(", ")}`);
    return { dryRun: true, htmlPath };
  }

  const recipients = await recipientsForCli(db, opts.period, opts.recipients, opts.lang);
  if (recipients.length === 0) {
    throw new CliError(`No recipients for the ${opts.period} report: pass --recipients, set REPORT_RECIPIENTS, or run \`npm run utm -- setup-reports\``);
  }
  const s = await sendReports(db, { period: opts.period, recipients, force: opts.force, now });
  for (const r of s.results) {
    if (r.status === "sent") out(`sent     ${r.recipient} (${r.transport}: ${r.id})`);
    else if (r.status === "skipped") out(`skipped  ${r.recipient}: the ${s.period} report for ${s.start} was already sent (use --force to send it again)`);
    else out(`FAILED   ${r.recipient}: ${r.error}`);
  }
  out(`${s.period} report ${s.start}..${s.end}: ${s.sent} sent, ${s.skipped} skipped, ${s.failed} failed`);
  if (s.failed > 0) process.exitCode = 1;
  return s;
}

const parsePeriod = (v: string): ReportPeriod => {
  if (!isReportPeriod(v)) throw new InvalidArgumentError(`must be one of ${REPORT_PERIODS.join(", ")}`);
  return v;
};
const parseLang = (v: string): ReportLang => {
  if (v !== "uk" && v !== "en") throw new InvalidArgumentError("must be uk or en");
  return v;
};
const parseRecipients = (v: string): string[] => {
  const list = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = emails.safeParse(list);
  if (!parsed.success || list.length === 0) throw new InvalidArgumentError("must be comma-separated e-mail addresses");
  return parsed.data;
};

export const reportCommand: CliCommand = (program) => {
  program
    .command("report")
    .description("send the e-mail report of the last complete day, week or month (Resend, or .data/outbox without RESEND_API_KEY)")
    .requiredOption("--period <period>", "day | week | month", parsePeriod)
    .option("--recipients <emails>", "comma-separated; default REPORT_RECIPIENTS, else the period's subscriptions", parseRecipients)
    .option("--dry-run", "print the text version and the path of the rendered HTML; send nothing")
    .option("--force", "send again even if this period was already sent to a recipient")
    .option("--lang <lang>", "uk | en (default: the subscription's language, else the setup-reports language, else uk)", parseLang)
    .action(
      action(async (opts: { period: ReportPeriod; recipients?: string[]; dryRun?: boolean; force?: boolean; lang?: ReportLang }) => {
        config();
        await withDb((db) => runReport(db, opts).then(() => undefined));
      }),
    );
};
