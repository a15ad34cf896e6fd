import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { REPORT_PERIODS } from "./periods";
import { REPORT_LANGUAGES, type ReportLanguage } from "./subscriptions";

/**
 * Where report delivery settings live (decision, see docs/email-reports.md):
 * - the Resend API key, a secret, goes to `<DATA_DIR>/reports.env` (mode 600), NOT to the
 *   database: app_settings is readable by anyone with a database dump or a settings page, and a
 *   key on disk next to `auth-secret` has the same protection as the app's other secret;
 * - the non-secret rest (sender, default recipients, schedule, language) is the app_settings row
 *   `reports`; recipients are also written as subscriptions, which is what sends read.
 * Environment variables always win (RESEND_API_KEY, REPORT_FROM), so hosted deployments need no file.
 */

export const RESEND_KEY_PATTERN = /^re_[A-Za-z0-9_]+$/;
export const DEFAULT_FROM = "UTM Dispatcher <reports@localhost>";

export const reportSettingsSchema = z.object({
  from: z.string().min(3).max(320).optional(),
  recipients: z.array(z.email()).default([]),
  schedule: z.array(z.enum(REPORT_PERIODS)).default([]),
  language: z.enum(REPORT_LANGUAGES).default("uk"),
});
export type ReportSettings = z.output<typeof reportSettingsSchema>;

export function reportsEnvPath(dataDir: string = config().dataDir): string {
  return path.join(dataDir, "reports.env");
}

/** KEY=VALUE lines of `<DATA_DIR>/reports.env` (missing file → {}). */
export function readReportsEnv(dataDir?: string): Record<string, string> {
  const file = reportsEnvPath(dataDir);
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^\s*([A-Z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith("#")) out[m[1]] = m[2];
  }
  return out;
}

export function writeReportsEnv(values: Record<string, string>, dataDir?: string): string {
  const file = reportsEnvPath(dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = ["# Written by `npm run utm -- setup-reports`. Environment variables override these.", ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join("\n");
  writeFileSync(file, body + "\n", { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync keeps an existing file's mode
  return file;
}

export async function readReportSettings(db: Db): Promise<ReportSettings> {
  const [row] = await rows<{ value: unknown }>(db, sql`select value from app_settings where key = 'reports'`);
  const parsed = reportSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : reportSettingsSchema.parse({});
}

export async function writeReportSettings(db: Db, settings: ReportSettings): Promise<void> {
  const value = JSON.stringify(reportSettingsSchema.parse(settings));
  await db.execute(
    sql`insert into app_settings (key, value, updated_at) values ('reports', ${value}::jsonb, now())
        on conflict (key) do update set value = excluded.value, updated_at = now()`,
  );
}

export type DeliverySettings = {
  /** Resend key: env, else reports.env; undefined → outbox. */
  apiKey: string | undefined;
  from: string;
  baseUrl: string | undefined;
  defaultLanguage: ReportLanguage;
};

/** What a send uses: env first, then the stored settings, then defaults. */
export async function deliverySettings(db: Db | undefined): Promise<DeliverySettings> {
  const cfg = config();
  const file = readReportsEnv();
  const stored = db ? await readReportSettings(db) : reportSettingsSchema.parse({});
  const fileKey = file.RESEND_API_KEY && RESEND_KEY_PATTERN.test(file.RESEND_API_KEY) ? file.RESEND_API_KEY : undefined;
  return {
    apiKey: cfg.resendApiKey ?? fileKey,
    from: cfg.reportFrom ?? stored.from ?? DEFAULT_FROM,
    baseUrl: cfg.resendBaseUrl,
    defaultLanguage: stored.language,
  };
}
