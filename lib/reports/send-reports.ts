import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import type { Locale } from "@/lib/i18n";
import { buildReport } from "./build-report";
import { deliver, type DeliveryTarget } from "./deliver";
import { reportWindow, type ReportPeriod } from "./periods";
import { renderReport, type RenderedReport } from "./render";
import { deliverySettings } from "./report-settings";
import { claimSend, markFailed, markSent, normaliseRecipient, type Claim } from "./send-log";
import { listSubscriptions } from "./subscriptions";

/**
 * One send run (the CLI's `report` and the cron route share it): claim a send-log row per
 * recipient FIRST, build the report data once only if some claim was won, render once per
 * language, deliver, and record the outcome. A duplicate fire claims nothing and builds nothing.
 */

export type Recipient = { email: string; language: Locale };
export type RecipientResult = { recipient: string; status: "sent" | "skipped" | "failed"; transport?: string; id?: string; error?: string };
export type SendSummary = {
  period: ReportPeriod;
  start: string;
  end: string;
  sent: number;
  skipped: number;
  failed: number;
  results: RecipientResult[];
};

export type SendOptions = {
  period: ReportPeriod;
  recipients: Recipient[];
  force?: boolean;
  now?: Date;
  /** Overrides the configured delivery (tests). */
  target?: DeliveryTarget;
  from?: string;
  /** Where the report's figures are read (a read replica, DATABASE_READ_URL); default `db`. */
  readDb?: Db;
};

export async function sendReports(db: Db, opts: SendOptions): Promise<SendSummary> {
  const now = opts.now ?? new Date();
  const window = reportWindow(opts.period, now);
  const summary: SendSummary = { period: opts.period, start: window.current.start, end: window.current.end, sent: 0, skipped: 0, failed: 0, results: [] };

  const unique = new Map<string, Recipient>();
  for (const r of opts.recipients) {
    const email = normaliseRecipient(r.email);
    if (!unique.has(email)) unique.set(email, { email, language: r.language });
  }

  const claimed: { recipient: Recipient; claim: Claim }[] = [];
  for (const recipient of unique.values()) {
    const claim = await claimSend(
      db,
      { period: opts.period, periodStart: window.current.start, periodEnd: window.current.end, recipient: recipient.email },
      { force: opts.force },
    );
    if (claim) claimed.push({ recipient, claim });
    else {
      summary.skipped++;
      summary.results.push({ recipient: recipient.email, status: "skipped" });
    }
  }
  if (claimed.length === 0) return summary;

  let rendered: Map<Locale, RenderedReport>;
  let target: DeliveryTarget;
  let from: string;
  try {
    const settings = await deliverySettings(db);
    target = opts.target ?? (settings.apiKey ? { kind: "resend", apiKey: settings.apiKey, baseUrl: settings.baseUrl } : { kind: "outbox" });
    from = opts.from ?? settings.from;
    const data = await buildReport(opts.readDb ?? db, window, { now });
    rendered = new Map();
    for (const lang of new Set(claimed.map((c) => c.recipient.language))) rendered.set(lang, await renderReport(data, lang));
  } catch (err) {
    // Nothing was sent: release every claim as failed so the next run retries.
    for (const c of claimed) await markFailed(db, c.claim.id, `build failed: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }

  for (const { recipient, claim } of claimed) {
    const msg = rendered.get(recipient.language)!;
    try {
      const res = await deliver({ from, to: recipient.email, subject: msg.subject, html: msg.html, text: msg.text, attachments: msg.attachments }, target, `${opts.period}-${window.current.start}`);
      await markSent(db, claim.id, res.id);
      summary.sent++;
      summary.results.push({ recipient: recipient.email, status: "sent", transport: res.transport, id: res.id });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await markFailed(db, claim.id, error);
      summary.failed++;
      summary.results.push({ recipient: recipient.email, status: "failed", error });
    }
  }
  return summary;
}

const envRecipients = (language: Locale): Recipient[] => config().reportRecipients.map((email) => ({ email, language }));

/** CLI order (SPEC 7): the --recipients flag, else REPORT_RECIPIENTS, else the period's subscriptions. */
export async function recipientsForCli(db: Db, period: ReportPeriod, flag: string[] | undefined, lang: Locale | undefined): Promise<Recipient[]> {
  const fallbackLang = lang ?? (await deliverySettings(db)).defaultLanguage;
  if (flag && flag.length) return flag.map((email) => ({ email, language: fallbackLang }));
  const env = envRecipients(fallbackLang);
  if (env.length) return env;
  return (await listSubscriptions(db, period)).map((s) => ({ email: s.email, language: lang ?? s.language }));
}

/** Cron: the period's subscriptions; REPORT_RECIPIENTS only when nobody subscribed (hosted set-ups without a settings page visit). */
export async function recipientsForCron(db: Db, period: ReportPeriod): Promise<Recipient[]> {
  const subs = await listSubscriptions(db, period);
  if (subs.length) return subs.map((s) => ({ email: s.email, language: s.language }));
  return envRecipients((await deliverySettings(db)).defaultLanguage);
}
