import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { LOCALES, type Locale } from "@/lib/i18n/pick-locale";
import { REPORT_PERIODS, type ReportPeriod } from "./periods";

/** Report subscriptions: who gets which periodic report in which language (unique email+period). */

/** A report is written in one of the UI languages (the one dictionary, lib/i18n). */
export const REPORT_LANGUAGES = LOCALES;
export type ReportLanguage = Locale;

export const subscriptionInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("must be an e-mail address").max(254, "must be at most 254 characters")),
  period: z.enum(REPORT_PERIODS, { error: `must be one of ${REPORT_PERIODS.join(", ")}` }),
  language: z.enum(REPORT_LANGUAGES, { error: "must be uk or en" }).default("uk"),
});
export type SubscriptionInput = z.input<typeof subscriptionInput>;

export type Subscription = {
  id: number;
  email: string;
  period: ReportPeriod;
  language: ReportLanguage;
  created_at: string;
};

const columns = sql`id::int as id, email::text as email, period::text as period, language::text as language,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;

export async function listSubscriptions(db: Db, period?: ReportPeriod): Promise<Subscription[]> {
  const where = period ? sql`where period = ${period}` : sql``;
  return rows<Subscription>(db, sql`select ${columns} from report_subscriptions ${where} order by period, email`);
}

/**
 * Adds a subscription; the same (email, period) again only updates its language, so re-running
 * `setup-reports` or re-posting from the settings page never fails or duplicates.
 */
export async function addSubscription(db: Db, input: SubscriptionInput): Promise<{ subscription: Subscription; created: boolean }> {
  const s = subscriptionInput.parse(input);
  const [row] = await rows<Subscription & { created: boolean }>(
    db,
    sql`insert into report_subscriptions (email, period, language) values (${s.email}, ${s.period}, ${s.language})
        on conflict (email, period) do update set language = excluded.language
        returning ${columns}, (xmax = 0) as created`,
  );
  const { created, ...subscription } = row;
  return { subscription, created };
}

export async function removeSubscription(db: Db, id: number): Promise<boolean> {
  const gone = await rows<{ id: number }>(db, sql`delete from report_subscriptions where id = ${id} returning id::int as id`);
  return gone.length > 0;
}
