import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { config } from "@/lib/config";
import { badRequest, issuePath, type Issue } from "@/lib/errors";

/**
 * The one parser of range + period + filters (SPEC 3.4) and of report parameters, used by every
 * analytics endpoint, the dashboard and the e-mail report. Errors are 400 `{error, issues}` whose
 * `path` is the query parameter's name.
 */

export const PERIODS = ["day", "week", "month", "quarter", "year", "all"] as const;
export type Period = (typeof PERIODS)[number];
const PERIOD_DAYS: Record<Exclude<Period, "all">, number> = { day: 1, week: 7, month: 30, quarter: 90, year: 365 };

/** Filter parameter → column name (the allow-list: nothing else is ever spliced into SQL). */
export const FILTER_COLUMNS = {
  utm_source: "utm_source",
  utm_medium: "utm_medium",
  utm_campaign: "utm_campaign",
  utm_content: "utm_content",
  utm_term: "utm_term",
  country: "country",
  device: "device",
  browser: "browser",
  os: "os",
} as const;
export type FilterKey = keyof typeof FILTER_COLUMNS;
export const FILTER_KEYS = Object.keys(FILTER_COLUMNS) as FilterKey[];
export type Filters = Partial<Record<FilterKey, string>>;

/** `period=all` starts here; reports that draw buckets clamp to the first data they hold. */
export const ALL_START = "2000-01-01";

export type DateRange = { start: string; end: string };

export type AnalyticsQuery = {
  /** Inclusive calendar dates in `tz`. */
  range: DateRange;
  /** The preset the range came from, or "custom" when start_date/end_date were given. */
  period: Period | "custom";
  filters: Filters;
  tz: string;
  /** "Today" in `tz` when the query was parsed (cohort cells after it are null). */
  today: string;
  now: Date;
};

export type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

const MAX_VALUE = 500;
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= "1970-01-01" && s <= "2999-12-31";
  }, "must be a real calendar date YYYY-MM-DD");

const filterValue = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_VALUE, `must be at most ${MAX_VALUE} characters`)
  // PostgreSQL text cannot hold NUL: such a value would fail in the query (a 500), and can match nothing.
  .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

const baseSchema = z.object({
  start_date: isoDate.optional(),
  end_date: isoDate.optional(),
  period: z.enum(PERIODS, { error: `must be one of ${PERIODS.join(", ")}` }).optional(),
  ...Object.fromEntries(FILTER_KEYS.map((k) => [k, filterValue.optional()])),
});

/** First value of each parameter, as a plain object (a repeated parameter keeps its first value). */
export function toRecord(input: SearchInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) if (!(k in out)) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(input)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined) out[k] = first;
    }
  }
  return out;
}

function fail(issues: Issue[]): never {
  throw badRequest(`Invalid parameter: ${issues.map((i) => i.path).join(", ")}`, issues);
}

/** Parses `schema` against the query parameters; 400 naming each bad parameter. */
export function parseParams<S extends z.ZodType>(input: SearchInput, schema: S): z.output<S> {
  const parsed = schema.safeParse(toRecord(input));
  if (!parsed.success) fail(parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  return parsed.data;
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function dateInZone(instant: Date, tz: string): string {
  const d = new TZDate(instant.getTime(), tz);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Calendar arithmetic on `YYYY-MM-DD` (time-zone free). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The instant a calendar day starts in a zone. */
export function startOfDayInstant(date: string, tz: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(new TZDate(y, m - 1, d, tz).getTime());
}

/** [from, to) instants of an inclusive date range in a zone, for `started_at >= from and < to`. */
export function rangeInstants(range: DateRange, tz: string): { from: Date; to: Date } {
  return { from: startOfDayInstant(range.start, tz), to: startOfDayInstant(addDays(range.end, 1), tz) };
}

/** The range a period preset means on a given day (SPEC 3.4). */
export function periodRange(period: Period, today: string): DateRange {
  if (period === "all") return { start: ALL_START, end: today };
  return { start: addDays(today, -(PERIOD_DAYS[period] - 1)), end: today };
}

export type ParseOptions = {
  now?: Date;
  tz?: string;
  /** Default preset when neither period nor dates are given (SPEC: month; cohorts: quarter). */
  defaultPeriod?: Period;
};

/** Range, period and filters of an analytics request (SPEC 3.4). */
export function parseAnalyticsQuery(input: SearchInput, opts: ParseOptions = {}): AnalyticsQuery {
  const tz = opts.tz ?? config().timezone;
  const now = opts.now ?? new Date();
  const p = parseParams(input, baseSchema) as z.output<typeof baseSchema> & Record<string, string | undefined>;
  const today = dateInZone(now, tz);
  const issues: Issue[] = [];
  if ((p.start_date === undefined) !== (p.end_date === undefined)) {
    const missing = p.start_date === undefined ? "start_date" : "end_date";
    issues.push({ path: missing, message: "start_date and end_date must be given together" });
  }
  if (p.start_date && p.end_date && p.start_date > p.end_date) {
    issues.push({ path: "start_date", message: "start_date must not be after end_date" });
  }
  if (issues.length) fail(issues);
  const filters: Filters = {};
  for (const k of FILTER_KEYS) if (p[k] !== undefined) filters[k] = p[k];
  if (p.start_date && p.end_date) {
    return { range: { start: p.start_date, end: p.end_date }, period: "custom", filters, tz, today, now };
  }
  const period = p.period ?? opts.defaultPeriod ?? "month";
  return { range: periodRange(period, today), period, filters, tz, today, now };
}

/** The query parameters that reproduce a query (deep links, e-mail links, share links). */
export function queryToParams(q: Pick<AnalyticsQuery, "range" | "period" | "filters">): URLSearchParams {
  const sp = new URLSearchParams();
  if (q.period === "custom") {
    sp.set("start_date", q.range.start);
    sp.set("end_date", q.range.end);
  } else {
    sp.set("period", q.period);
  }
  for (const k of FILTER_KEYS) {
    const v = q.filters[k];
    if (v !== undefined) sp.set(k, v);
  }
  return sp;
}

/** Shared zod pieces for report parameters. */
export const paramSchemas = {
  limit: z.coerce
    .number({ error: "must be a whole number from 1 to 200" })
    .int("must be a whole number from 1 to 200")
    .min(1, "must be a whole number from 1 to 200")
    .max(200, "must be a whole number from 1 to 200"),
  isoDate,
  text: filterValue,
};
