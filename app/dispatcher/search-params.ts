import { z } from "zod";
import { sortObjects } from "@/lib/analytics/sort-rows";
import { ATTRIBUTION_DIMENSION_KEYS, ATTRIBUTION_MODELS, COHORT_DEFAULT_PERIOD, COHORT_METRICS, COHORT_TYPES, FILTER_KEYS, FILTER_PARAM_NAMES, NOT_PREFIX, PERIODS } from "@/lib/analytics/vocabulary";

/**
 * The dashboard's whole state lives in the URL (SPEC 6), so a copied link reopens the same view and
 * back/forward work. This module is shared by the server page and the client controls, so it must
 * stay free of server imports: the range and filters are validated on the server by
 * `parseAnalyticsQuery` (app/dispatcher/context.ts); the dashboard's own selectors are parsed here.
 *
 *   period | start_date+end_date   range (SPEC 3.4)
 *   utm_source ... os              dimension filters (removable chips)
 *   compare=1                      overlay / show the previous period
 *   chart=<metric>                 time-series metric
 *   cohort_metric, cohort_type, cohort_range   cohort heatmap selectors
 *   campaign                       A/B campaign
 *   sort_<table>=col | -col        table sort (descending with "-")
 *   spend                          ROI what-if spend
 *   cursor                         recent sessions page
 *   model, attribution_dimension   attribution block: highlighted model and dimension (SPEC 13)
 */

// The analytics vocabulary itself (lib/analytics/vocabulary.ts has no server imports), not copies.
export const PERIOD_PRESETS = PERIODS;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const FILTER_PARAMS = FILTER_KEYS;
export type FilterParam = (typeof FILTER_PARAMS)[number];
/** `not_<dimension>=value` excludes a value (SPEC 12); a dimension given several times matches any. */
export { NOT_PREFIX };
/** Every filter parameter name: `utm_source`, …, `not_utm_source`, … */
export { FILTER_PARAM_NAMES };
export const COHORT_METRIC_VALUES = COHORT_METRICS;
export const COHORT_TYPE_VALUES = COHORT_TYPES;
export const COHORT_RANGES = ["month", "quarter", "year"] as const;
export type CohortRange = (typeof COHORT_RANGES)[number];
export const CHART_METRICS = ["sessions", "visitors", "conversions", "orders", "revenue"] as const;
export const ATTRIBUTION_MODEL_VALUES = ATTRIBUTION_MODELS;
export const ATTRIBUTION_DIMENSION_VALUES = ATTRIBUTION_DIMENSION_KEYS;
export type ChartMetric = (typeof CHART_METRICS)[number];

export const TABLES = ["sources", "campaigns", "content", "geo", "devices", "browsers", "os", "roi", "ltv", "mediums", "terms", "landing_pages", "referrers"] as const;
export type TableId = (typeof TABLES)[number];
export type Sort = { col: string; dir: "asc" | "desc" };

/** Sortable columns of each table (an allow-list: a bad `sort_*` is a clear 400-style message). */
export const SORTABLE: Record<TableId, readonly string[]> = {
  sources: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  campaigns: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  content: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  geo: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  devices: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  browsers: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  os: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  roi: ["utm_source", "utm_campaign", "spend", "sessions", "orders", "revenue", "roi", "roas", "cpa"],
  ltv: ["utm_source", "customers", "orders", "revenue", "ltv", "aov", "orders_per_customer", "repeat_rate"],
  mediums: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  terms: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  landing_pages: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
  referrers: ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"],
};

export type DashboardState = {
  compare: boolean;
  /** What the comparison is against (`compare=1` is the previous period). */
  compareMode?: "previous_period" | "previous_year";
  chart: ChartMetric;
  cohortMetric: (typeof COHORT_METRIC_VALUES)[number];
  cohortType: (typeof COHORT_TYPE_VALUES)[number];
  cohortRange: CohortRange;
  campaign?: string;
  spend?: number;
  cursor?: string;
  model: (typeof ATTRIBUTION_MODEL_VALUES)[number];
  attributionDimension: (typeof ATTRIBUTION_DIMENSION_VALUES)[number];
  sort: Partial<Record<TableId, Sort>>;
};

export type ParamIssue = { path: string; message: string };

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` });

const stateSchema = z.object({
  compare: z.enum(["0", "1", "previous_period", "previous_year"], { error: "must be previous_period, previous_year, 1 or 0" }).optional(),
  chart: oneOf(CHART_METRICS).optional(),
  cohort_metric: oneOf(COHORT_METRIC_VALUES).optional(),
  cohort_type: oneOf(COHORT_TYPE_VALUES).optional(),
  cohort_range: oneOf(COHORT_RANGES).optional(),
  campaign: z.string().trim().max(500, "must be at most 500 characters").optional(),
  spend: z.coerce.number({ error: "must be a number of at least 0" }).finite().min(0, "must be a number of at least 0").max(1e12).optional(),
  cursor: z.string().max(200).optional(),
  model: oneOf(ATTRIBUTION_MODEL_VALUES).optional(),
  attribution_dimension: oneOf(ATTRIBUTION_DIMENSION_VALUES).optional(),
});

export type RawParams = Record<string, string | string[] | undefined>;

/** First value of each parameter (Next gives arrays for repeated keys). */
export function firstValues(input: RawParams | URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) if (!(k in out)) out[k] = v;
    return out;
  }
  for (const [k, v] of Object.entries(input)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first;
  }
  return out;
}

export function parseSort(table: TableId, value: string | undefined): Sort | undefined | ParamIssue {
  if (value === undefined || value === "") return undefined;
  const dir = value.startsWith("-") ? "desc" : "asc";
  const col = value.replace(/^-/, "");
  if (!SORTABLE[table].includes(col)) {
    return { path: `sort_${table}`, message: `must be one of ${SORTABLE[table].join(", ")} (prefix - for descending)` };
  }
  return { col, dir };
}

/** The dashboard's selectors; `issues` names each bad parameter (shown instead of crashing). */
export function parseDashboardState(input: RawParams | URLSearchParams): { state: DashboardState; issues: ParamIssue[] } {
  const rec = firstValues(input);
  const issues: ParamIssue[] = [];
  const parsed = stateSchema.safeParse({
    compare: rec.compare,
    chart: rec.chart,
    cohort_metric: rec.cohort_metric,
    cohort_type: rec.cohort_type,
    cohort_range: rec.cohort_range,
    campaign: rec.campaign,
    spend: rec.spend === "" ? undefined : rec.spend,
    cursor: rec.cursor,
    model: rec.model,
    attribution_dimension: rec.attribution_dimension,
  });
  const p = parsed.success ? parsed.data : {};
  if (!parsed.success) for (const i of parsed.error.issues) issues.push({ path: String(i.path[0] ?? "(root)"), message: i.message });
  const sort: DashboardState["sort"] = {};
  for (const t of TABLES) {
    const s = parseSort(t, rec[`sort_${t}`]);
    if (s && "path" in s) issues.push(s);
    else if (s) sort[t] = s;
  }
  return {
    state: {
      compare: p.compare !== undefined && p.compare !== "0",
      compareMode: p.compare === "previous_year" ? "previous_year" : p.compare !== undefined && p.compare !== "0" ? "previous_period" : undefined,
      chart: p.chart ?? "sessions",
      cohortMetric: p.cohort_metric ?? "retention",
      cohortType: p.cohort_type ?? "week",
      cohortRange: p.cohort_range ?? COHORT_DEFAULT_PERIOD,
      campaign: p.campaign || undefined,
      spend: p.spend,
      cursor: p.cursor || undefined,
      model: p.model ?? "last_non_direct",
      attributionDimension: p.attribution_dimension ?? "utm_source",
      sort,
    },
    issues,
  };
}

/** Parameters that select data; changing one restarts paging. */
const RESETS_CURSOR = new Set<string>(["period", "start_date", "end_date", ...FILTER_PARAM_NAMES]);

/** A value replaces every value of the parameter; a list sets several (filters); null/undefined/""/[] removes. */
export type Patch = Record<string, string | readonly string[] | null | undefined>;

/** Every value of each parameter (repeated filters keep all their values). */
function allValues(input: RawParams | URLSearchParams): URLSearchParams {
  if (input instanceof URLSearchParams) return new URLSearchParams(input);
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, x);
  return out;
}

/** A new query string from the current one with `patch` applied (null/undefined/"" removes). */
export function withParams(current: RawParams | URLSearchParams | string, patch: Patch): URLSearchParams {
  const base = typeof current === "string" ? new URLSearchParams(current.replace(/^\?/, "")) : allValues(current);
  for (const [k, v] of Object.entries(patch)) {
    base.delete(k);
    if (typeof v === "string" && v !== "") base.set(k, v);
    else if (Array.isArray(v)) for (const x of v) if (x !== "") base.append(k, x);
    if (RESETS_CURSOR.has(k)) base.delete("cursor");
  }
  // A preset replaces a custom range and vice versa.
  if (patch.period) {
    base.delete("start_date");
    base.delete("end_date");
  }
  if (patch.start_date && patch.end_date) base.delete("period");
  return base;
}

/** `base?query` (no dangling `?`). */
export function hrefWith(basePath: string, current: RawParams | URLSearchParams | string, patch: Patch): string {
  const qs = withParams(current, patch).toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

/**
 * One chip per active filter value (SPEC 12): `key` is the dimension, `param` the URL parameter
 * (`not_<key>` when `negated`), so `utm_source=google&utm_source=bing&not_device=mobile` gives
 * three chips.
 */
export type FilterChip = { key: FilterParam; param: string; value: string; negated: boolean };

export function activeFilters(input: RawParams | URLSearchParams): FilterChip[] {
  const sp = allValues(input);
  const out: FilterChip[] = [];
  for (const negated of [false, true]) {
    for (const key of FILTER_PARAMS) {
      const param = negated ? `${NOT_PREFIX}${key}` : key;
      for (const value of new Set(sp.getAll(param))) if (value !== "") out.push({ key, param, value, negated });
    }
  }
  return out;
}

/** The patch that removes one chip's value and keeps the other values of its parameter. */
export function removeChipPatch(input: RawParams | URLSearchParams | string, chip: Pick<FilterChip, "param" | "value">): Patch {
  const sp = typeof input === "string" ? new URLSearchParams(input.replace(/^\?/, "")) : allValues(input);
  return { [chip.param]: sp.getAll(chip.param).filter((v) => v !== chip.value) };
}

/** The patch that adds a filter value (`negated`: an exclusion) to the ones already set. */
export function addFilterPatch(input: RawParams | URLSearchParams | string, key: FilterParam, value: string, negated = false): Patch {
  const sp = typeof input === "string" ? new URLSearchParams(input.replace(/^\?/, "")) : allValues(input);
  const param = negated ? `${NOT_PREFIX}${key}` : key;
  const values = sp.getAll(param);
  return { [param]: values.includes(value) ? values : [...values, value] };
}

/** Range + filters only (every value of a repeated filter): what the CSV export and API links repeat. */
export function rangeAndFilters(input: RawParams | URLSearchParams): URLSearchParams {
  const rec = firstValues(input);
  const all = allValues(input);
  const out = new URLSearchParams();
  for (const k of ["period", "start_date", "end_date"]) if (rec[k]) out.set(k, rec[k]);
  for (const k of FILTER_PARAM_NAMES) for (const v of new Set(all.getAll(k))) if (v) out.append(k, v);
  return out;
}

/**
 * The CSV export link of a report over the same range and filters (plus the share token on shared
 * views), in the table's sort (`sort=col|-col`) and with any report parameter the block shows
 * (`extra`, e.g. the ROI what-if `spend`), so the file is what the block shows.
 */
export function exportHref(report: string, input: RawParams | URLSearchParams, shareToken?: string, sort?: Sort, extra: Record<string, string | undefined> = {}): string {
  const sp = rangeAndFilters(input);
  const out = new URLSearchParams({ report });
  for (const [k, v] of sp) out.append(k, v);
  if (sort) out.set("sort", `${sort.dir === "desc" ? "-" : ""}${sort.col}`);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") out.set(k, v);
  if (shareToken) out.set("share", shareToken);
  return `/api/utm/export-csv?${out.toString()}`;
}

/**
 * Sort rows by a column (the lists are small aggregates: at most a few hundred rows); the same
 * ordering as the CSV export's `sort` (lib/analytics/sort-rows.ts).
 */
export function sortRows<T extends object>(rows: readonly T[], sort: Sort | undefined): T[] {
  return sortObjects(rows, sort);
}

/** The sort a header click asks for: first click descending for numbers, then toggles. */
export function nextSortParam(current: Sort | undefined, col: string, numeric: boolean): string {
  if (current?.col === col) return current.dir === "desc" ? col : `-${col}`;
  return numeric ? `-${col}` : col;
}
