import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { z } from "zod";
import { rows as queryRows, type Db } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { filterConditions } from "./filters";
import { money } from "./format";
import { paramSchemas, type AnalyticsQuery } from "./params";
import { withSpendWriteLock } from "./spend-write-lock";

/**
 * Ad spend (SPEC 4 roi): one amount per date + utm_source + utm_campaign in APP_CURRENCY. Loading
 * a row for an existing key replaces its amount, so re-importing a corrected file is safe.
 * Sources are normalised like sessions' (trimmed, lower-case) so spend joins their rows.
 */

export const MAX_AD_SPEND_ROWS = 10_000;
export const AD_SPEND_CSV_COLUMNS = ["date", "utm_source", "utm_campaign", "amount"] as const;

const amount = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? Number(v.trim()) : v),
  z.number({ error: "must be a number of at least 0" }).finite("must be a finite number").min(0, "must be at least 0").max(1e11, "is too large"),
);
const text = (max: number) => z.string({ error: "must be a string" }).trim().max(max, `must be at most ${max} characters`);

export const adSpendRowSchema = z.object({
  date: paramSchemas.isoDate,
  utm_source: text(500).min(1, "must not be empty").transform((s) => s.toLowerCase()),
  // Unset campaign reads "(none)", as on sessions.
  utm_campaign: text(500)
    .optional()
    .transform((s) => (s === undefined || s === "" ? "(none)" : s)),
  amount,
});
export type AdSpendRow = z.output<typeof adSpendRowSchema>;

/** `[...]` or `{rows: [...]}`; issues name `rows[3].amount`. */
export function parseAdSpendRows(input: unknown): AdSpendRow[] {
  const list = Array.isArray(input) ? input : (input as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(list)) throw badRequest("Send a JSON array of rows or {rows: [...]}", [{ path: "rows", message: "must be an array" }]);
  if (list.length === 0) throw badRequest("No rows to load", [{ path: "rows", message: "must not be empty" }]);
  if (list.length > MAX_AD_SPEND_ROWS) {
    throw badRequest(`At most ${MAX_AD_SPEND_ROWS} rows per request`, [{ path: "rows", message: `must have at most ${MAX_AD_SPEND_ROWS} rows` }]);
  }
  const parsed = z.array(adSpendRowSchema).safeParse(list);
  if (!parsed.success) throw badRequest("Invalid ad spend rows", zodIssues(parsed.error, "rows").slice(0, 100));
  return parsed.data;
}

/** Rows of a CSV with the header date,utm_source,utm_campaign,amount (any order, any case). */
export function parseAdSpendCsv(csv: string): AdSpendRow[] {
  const res = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = res.meta.fields ?? [];
  const missing = AD_SPEND_CSV_COLUMNS.filter((c) => c !== "utm_campaign" && !fields.includes(c));
  if (missing.length) {
    throw badRequest("The CSV needs the columns date, utm_source, utm_campaign, amount", missing.map((c) => ({ path: c, message: "column is missing" })));
  }
  return parseAdSpendRows(res.data);
}

/** True when a CSV header line looks like ad spend (the `import` command routes on it). */
export function isAdSpendCsvHeader(headerLine: string): boolean {
  const cols = headerLine.replace(/^\uFEFF/, "").split(",").map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
  return cols.includes("amount") && cols.includes("date") && cols.includes("utm_source");
}

/** A row to store: `platform_campaign` set for rows of a platform export (SPEC 14). */
export type SpendWriteRow = AdSpendRow & {
  platform_campaign?: string | null;
  /** The platform's campaign id (SPEC 18), when the export has one. */
  platform_campaign_id?: string | null;
  /** The export's currency and amount as exported when not APP_CURRENCY (SPEC 17.5). */
  currency?: string | null;
  amount_original?: number | null;
};

const keyOf = (r: SpendWriteRow) => JSON.stringify([r.date, r.utm_source, r.platform_campaign ?? r.utm_campaign]);

/** The rows as JSON for json_to_recordset (amounts as text so numeric keeps every digit). */
const asRecordset = (part: SpendWriteRow[]) =>
  JSON.stringify(
    part.map((r) => ({
      date: r.date,
      utm_source: r.utm_source,
      utm_campaign: r.utm_campaign,
      platform_campaign: r.platform_campaign ?? null,
      platform_campaign_id: r.platform_campaign_id ?? null,
      currency: r.currency ?? null,
      amount_original: r.amount_original === null || r.amount_original === undefined ? null : String(r.amount_original),
      amount: String(r.amount),
    })),
  );

/** One row per key, the last of a key winning (ON CONFLICT cannot touch a row twice). */
function lastPerKey(input: readonly SpendWriteRow[]): SpendWriteRow[] {
  const byKey = new Map<string, SpendWriteRow>();
  for (const r of input) byKey.set(keyOf(r), r);
  return [...byKey.values()];
}

const CHUNK = 1000;

/** How many of these rows' keys (date, source, coalesce(platform_campaign, utm_campaign)) are stored. */
export async function countStoredSpendKeys(db: Db, input: readonly SpendWriteRow[]): Promise<number> {
  const list = lastPerKey(input);
  let n = 0;
  for (let i = 0; i < list.length; i += CHUNK) {
    const [got] = await queryRows<{ n: number }>(
      db,
      sql`select count(*) as n
          from json_to_recordset(${asRecordset(list.slice(i, i + CHUNK))}::json)
               as t(date text, utm_source text, utm_campaign text, platform_campaign text, amount text)
          where exists (select 1 from ad_spend a
                        where a.date = t.date::date and a.utm_source = t.utm_source
                          and coalesce(a.platform_campaign, a.utm_campaign) = coalesce(t.platform_campaign, t.utm_campaign))`,
    );
    n += got.n;
  }
  return n;
}

/**
 * Inserts or replaces rows; returns how many keys were written. A platform row's utm_campaign is
 * its campaign_map entry when there is one (SPEC 14), else the platform's campaign name.
 */
export async function upsertAdSpend(db: Db, input: readonly SpendWriteRow[]): Promise<number> {
  const list = lastPerKey(input);
  await withSpendWriteLock(db, async (tx) => {
    for (let i = 0; i < list.length; i += CHUNK) {
      const part = list.slice(i, i + CHUNK);
      await tx.execute(
        sql`insert into ad_spend (date, utm_source, utm_campaign, platform_campaign, platform_campaign_id, currency, amount_original, amount)
            select t.date::date, t.utm_source, coalesce(m.utm_campaign, t.utm_campaign), t.platform_campaign, t.platform_campaign_id,
                   t.currency, t.amount_original::numeric(14,2), t.amount::numeric(14,2)
            from json_to_recordset(${asRecordset(part)}::json)
                 as t(date text, utm_source text, utm_campaign text, platform_campaign text, platform_campaign_id text,
                      currency text, amount_original text, amount text)
            left join campaign_map m on t.platform_campaign is not null
                                    and m.utm_source = t.utm_source and m.platform_campaign = t.platform_campaign
            on conflict (date, utm_source, (coalesce(platform_campaign, utm_campaign)))
            do update set amount = excluded.amount, utm_campaign = excluded.utm_campaign, platform_campaign = excluded.platform_campaign,
                          platform_campaign_id = excluded.platform_campaign_id, currency = excluded.currency,
                          amount_original = excluded.amount_original`,
      );
    }
  });
  return list.length;
}

export type AdSpendListRow = { date: string; utm_source: string; utm_campaign: string; amount: number };

/** Spend dated in the range, narrowed by the source/campaign filters (the only ones spend has). */
export async function listAdSpend(db: Db, q: AnalyticsQuery): Promise<{ rows: AdSpendListRow[]; total: number }> {
  const where = filterConditions({ utm_source: q.filters.utm_source, utm_campaign: q.filters.utm_campaign }, "a");
  const got = await queryRows<AdSpendListRow>(
    db,
    sql`select to_char(a.date, 'YYYY-MM-DD') as date, a.utm_source, a.utm_campaign, a.amount
        from ad_spend a
        where a.date >= ${q.range.start}::date and a.date <= ${q.range.end}::date and ${where}
        order by a.date, a.utm_source collate "C", a.utm_campaign collate "C"`,
  );
  const total = got.reduce((acc, r) => acc + r.amount, 0);
  return { rows: got.map((r) => ({ ...r, amount: money(r.amount) })), total: money(total) };
}
