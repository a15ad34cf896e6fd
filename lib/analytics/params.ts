import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { addDays, daysBetween } from "./calendar";
import { currentTime } from "@/lib/clock";
import { config } from "@/lib/config";
import { badRequest, issuePath, type Issue } from "@/lib/errors";
import { FILTER_COLUMNS } from "@/lib/dimensions";
import { BASES, FILTER_KEYS, NOT_PREFIX, PERIODS, type Basis, type FilterKey, type Period } from "./vocabulary";
export { BASES, type Basis } from "./vocabulary";

/**
 * The one parser of range + period + filters (SPEC 3.4) and of report parameters, used by every
 * analytics endpoint, the dashboard and the e-mail report. Errors are 400 `{error, issues}` whose
 * `path` is the query parameter's name.
 */

export { PERIODS, FILTER_KEYS, NOT_PREFIX, type Period, type FilterKey } from "./vocabulary";
const PERIOD_DAYS: Record<Exclude<Period, "all">, number> = { day: 1, week: 7, month: 30, quarter: 90, year: 365 };

/** Filter parameter → column name (the allow-list: nothing else is ever spliced into SQL). */
export { FILTER_COLUMNS } from "@/lib/dimensions";
/**
 * One dimension's filter (SPEC 12): the values it may take (`is`, any of them; empty = any value)
 * and the values it must not take (`not`). Dimensions combine with AND.
 */
export type FilterValues = { is: string[]; not: string[] };
export type Filters = Partial<Record<FilterKey, FilterValues>>;
/** At most this many values per dimension and sign (a URL is not a data set). */
export const MAX_FILTER_VALUES = 50;

/** `{utm_source: "google"}` → Filters with one `is` value each (tests, reports, links). */
export function filtersOf(simple: Partial<Record<FilterKey, string | string[]>>): Filters {
  const out: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = simple[k];
    if (v === undefined) continue;
    out[k] = { is: Array.isArray(v) ? [...v] : [v], not: [] };
  }
  return out;
}

/** Only the given dimensions of a filter set (roi/ad-spend narrow spend by source and campaign). */
export function pickFilters(filters: Filters, keys: readonly FilterKey[]): Filters {
  const out: Filters = {};
  for (const k of keys) if (filters[k]) out[k] = filters[k];
  return out;
}

/** The single `is` value of a dimension when it has exactly one and no `not` (UI shortcuts). */
export function singleValue(filters: Filters, key: FilterKey): string | undefined {
  const f = filters[key];
  return f && f.is.length === 1 && f.not.length === 0 ? f.is[0] : undefined;
}

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
  /**
   * Net revenue's refunds (SPEC 17.5): `accrual` (absent = accrual) the refunds of the orders the
   * figure counts, whenever dated; `cash` the refunds dated in the range.
   */
  basis?: Basis;
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
  basis: z.enum(BASES, { error: `must be one of ${BASES.join(", ")}` }).optional(),
});

/** Every value of each parameter, in order. */
export function paramValues(input: SearchInput): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (k: string, v: string) => {
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  };
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) add(k, v);
  } else {
    for (const [k, v] of Object.entries(input)) {
      if (Array.isArray(v)) for (const x of v) add(k, x);
      else if (v !== undefined) add(k, v);
    }
  }
  return out;
}

/** A filter parameter (`utm_source`, `not_utm_source`, ...) may be repeated; nothing else may. */
export function isFilterParam(name: string): boolean {
  const base = name.startsWith(NOT_PREFIX) ? name.slice(NOT_PREFIX.length) : name;
  return base in FILTER_COLUMNS;
}

/**
 * One value per parameter, as a plain object. A non-filter parameter given twice with different
 * values is ambiguous: 400 naming it (the same value twice is fine). Filter parameters keep their
 * first value here; parseFilters reads all of them.
 */
export function toRecord(input: SearchInput): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: Issue[] = [];
  for (const [k, values] of paramValues(input)) {
    out[k] = values[0];
    if (!isFilterParam(k) && values.some((v) => v !== values[0])) {
      issues.push({ path: k, message: "must be given once (it was given with different values)" });
    }
  }
  if (issues.length) fail(issues);
  return out;
}

function fail(issues: Issue[]): never {
  throw badRequest(`Invalid parameter: ${issues.map((i) => i.path).join(", ")}`, issues);
}

/** Every filter of a request (SPEC 3.4, 12): repeated values match any, `not_` values exclude. */
export function parseFilters(input: SearchInput): Filters {
  const all = paramValues(input);
  const filters: Filters = {};
  const issues: Issue[] = [];
  const read = (name: string): string[] => {
    const out: string[] = [];
    for (const raw of all.get(name) ?? []) {
      const r = filterValue.safeParse(raw);
      if (!r.success) {
        issues.push({ path: name, message: r.error.issues[0]?.message ?? "is invalid" });
        continue;
      }
      if (!out.includes(r.data)) out.push(r.data);
    }
    if (out.length > MAX_FILTER_VALUES) issues.push({ path: name, message: `must be given at most ${MAX_FILTER_VALUES} times` });
    return out;
  };
  for (const k of FILTER_KEYS) {
    const is = read(k);
    const not = read(`${NOT_PREFIX}${k}`);
    if (is.length || not.length) filters[k] = { is, not };
  }
  if (issues.length) fail(issues);
  return filters;
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

export { addDays, daysBetween };

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
  const now = opts.now ?? currentTime();
  const p = parseParams(input, baseSchema);
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
  const filters = parseFilters(input);
  const basis = p.basis === "cash" ? { basis: p.basis } : {};
  if (p.start_date && p.end_date) {
    return { range: { start: p.start_date, end: p.end_date }, period: "custom", filters, tz, today, now, ...basis };
  }
  const period = p.period ?? opts.defaultPeriod ?? "month";
  return { range: periodRange(period, today), period, filters, tz, today, now, ...basis };
}

/** The query parameters that reproduce a query (deep links, e-mail links, share links). */
export function queryToParams(q: Pick<AnalyticsQuery, "range" | "period" | "filters" | "basis">): URLSearchParams {
  const sp = new URLSearchParams();
  if (q.period === "custom") {
    sp.set("start_date", q.range.start);
    sp.set("end_date", q.range.end);
  } else {
    sp.set("period", q.period);
  }
  if (q.basis === "cash") sp.set("basis", "cash");
  appendFilters(sp, q.filters);
  return sp;
}

/** Appends a filter set as query parameters (`k=v` per `is` value, `not_k=v` per `not` value). */
export function appendFilters(sp: URLSearchParams, filters: Filters): URLSearchParams {
  for (const k of FILTER_KEYS) {
    const f = filters[k];
    if (!f) continue;
    for (const v of f.is) sp.append(k, v);
    for (const v of f.not) sp.append(`${NOT_PREFIX}${k}`, v);
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
