import { createLoader, createParser, createSerializer, parseAsNativeArrayOf, parseAsString, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseSortParam, sortObjects, type SortSpec } from "@/lib/analytics/sort-rows";
import {
  ATTRIBUTION_DIMENSION_KEYS,
  ATTRIBUTION_MODELS,
  COHORT_DEFAULT_PERIOD,
  COHORT_METRICS,
  COHORT_TYPES,
  FILTER_KEYS,
  FILTER_PARAM_NAMES,
  NOT_PREFIX,
  PERIODS,
  type FilterKey,
  BASES,
} from "@/lib/analytics/vocabulary";
import { TAB_GROUPS, type TabGroup } from "./tabs";
import { DIMENSION_TABLES, type DimensionTable } from "@/lib/dimensions";

/**
 * The dashboard's URL state (SPEC 6): the whole view lives in the URL, so a copied link reopens
 * it and back/forward work. ONE set of nuqs parsers (`dashboardParsers`) read by the server page
 * (`loadDashboardParams`, `parseDashboardState`), by the client controls (`useUrlState` in
 * client/Pending.tsx: nuqs `useQueryStates` with `shallow: false` in the dashboard's transition)
 * and by the server-built links (`dashboardHref`, the same nuqs serializer). This module is
 * client-safe (nuqs/server has no "use client"; no server imports): the range and filters are
 * validated on the server by `parseAnalyticsQuery` (app/dispatcher/context.ts), the dashboard's
 * own selectors here.
 *
 *   period | start_date+end_date   range (SPEC 3.4)
 *   utm_source ... referrer        dimension filters, repeated (`utm_source=a&utm_source=b`),
 *   not_utm_source ...             and their exclusions (SPEC 12)
 *   compare=previous_period|previous_year (1 = previous period)   comparison
 *   chart=<metric>                 time-series metric
 *   cohort_metric, cohort_type, cohort_range   cohort heatmap selectors
 *   campaign                       A/B campaign
 *   sort_<table>=col | -col        table sort (descending with "-")
 *   spend                          ROI what-if spend
 *   cursor                         recent sessions page
 *   model, attribution_dimension   attribution block: highlighted model and dimension (SPEC 13)
 *   tab_source, tab_pages, tab_tech   the active tab of a tabbed card (tabs.ts)
 *
 * A value equal to its default is left out of the URL (nuqs `clearOnDefault`), so links stay short.
 * Size: over 300 lines because the nuqs parsers, the loader, the serializer and the patches that
 * write them must share one parser set (a second module would need the same map); the dimension
 * lists come from lib/dimensions.ts, sorting from lib/analytics/sort-rows.ts.
 */

// The analytics vocabulary itself (lib/analytics/vocabulary.ts has no server imports), not copies.
export const FILTER_PARAMS = FILTER_KEYS;
export type FilterParam = FilterKey;
/** `not_<dimension>=value` excludes a value (SPEC 12); a dimension given several times matches any. */
export { NOT_PREFIX };
/** Every filter parameter name: `utm_source`, …, `not_utm_source`, … */
export { FILTER_PARAM_NAMES };
export type FilterParamName = FilterKey | `${typeof NOT_PREFIX}${FilterKey}`;
export const COHORT_METRIC_VALUES = COHORT_METRICS;
export const COHORT_TYPE_VALUES = COHORT_TYPES;
export const COHORT_RANGES = ["month", "quarter", "year"] as const;
/** Cohorts' customers (SPEC 18): the dashboard shows paid-acquired ones unless `cohort_basis=all`. */
export const COHORT_BASIS_VALUES = ["paid", "all"] as const;
/** Which money the revenue figures show (docs/money.md): `revenue=gross|net|margin`, default gross. */
export const REVENUE_VIEWS = ["gross", "net", "margin"] as const;
export type RevenueView = (typeof REVENUE_VIEWS)[number];
export type CohortRange = (typeof COHORT_RANGES)[number];
export const CHART_METRICS = ["sessions", "visitors", "conversions", "orders", "revenue"] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];
export const ATTRIBUTION_MODEL_VALUES = ATTRIBUTION_MODELS;
export const ATTRIBUTION_DIMENSION_VALUES = ATTRIBUTION_DIMENSION_KEYS;

/** The dashboard's tables: one per dimension (lib/dimensions.ts), then ROI and LTV. */
export const TABLES = [...DIMENSION_TABLES, "roi", "ltv"] as const;
export type TableId = DimensionTable | "roi" | "ltv";
export type Sort = SortSpec;

const BREAKDOWN_COLUMNS = ["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "aov", "revenue_per_session"] as const;
/** Sortable columns of each table (an allow-list: a bad `sort_*` is a clear 400-style message). */
export const SORTABLE: Record<TableId, readonly string[]> = {
  ...(Object.fromEntries(DIMENSION_TABLES.map((t): [DimensionTable, readonly string[]] => [t, BREAKDOWN_COLUMNS])) as Record<DimensionTable, readonly string[]>),
  roi: ["utm_source", "utm_campaign", "spend", "sessions", "orders", "revenue", "roi", "roas", "cpa"],
  ltv: ["utm_source", "customers", "orders", "revenue", "ltv", "aov", "orders_per_customer", "repeat_rate"],
};

export type ParamIssue = { path: string; message: string };
export type RawParams = Record<string, string | string[] | undefined>;

// ---------------------------------------------------------------------------------------------
// The parsers

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(", ")}` });

/**
 * The selectors' rules: a bad value is named on the invalid-URL page with this message (checked on
 * the server by `parseDashboardState`); their nuqs parsers below are built from the same rules.
 */
const SELECTOR_RULES = {
  compare: z.enum(["0", "1", "previous_period", "previous_year"], { error: "must be previous_period, previous_year, 1 or 0" }),
  chart: oneOf(CHART_METRICS),
  cohort_metric: oneOf(COHORT_METRIC_VALUES),
  cohort_type: oneOf(COHORT_TYPE_VALUES),
  cohort_range: oneOf(COHORT_RANGES),
  cohort_basis: oneOf(COHORT_BASIS_VALUES),
  revenue: oneOf(REVENUE_VIEWS),
  campaign: z.string().trim().max(500, "must be at most 500 characters"),
  spend: z.coerce.number({ error: "must be a number of at least 0" }).finite().min(0, "must be a number of at least 0").max(1e12),
  cursor: z.string().max(200),
  model: oneOf(ATTRIBUTION_MODEL_VALUES),
  attribution_dimension: oneOf(ATTRIBUTION_DIMENSION_VALUES),
};
type SelectorName = keyof typeof SELECTOR_RULES;

/** A selector's parser: its rule's value, null (absent) for an empty or bad value. */
function ruled<K extends SelectorName>(name: K) {
  return createParser<z.output<(typeof SELECTOR_RULES)[K]>>({
    parse: (v) => {
      if (v === "") return null;
      const r = SELECTOR_RULES[name].safeParse(v);
      return r.success ? (r.data as z.output<(typeof SELECTOR_RULES)[K]>) : null;
    },
    serialize: String,
  });
}

/** `sort_<table>=col` ascending, `-col` descending, over the table's sortable columns. */
export function parseSort(table: TableId, value: string | undefined | null): Sort | undefined | ParamIssue {
  try {
    return parseSortParam(value ?? null, SORTABLE[table]);
  } catch (err) {
    if (err instanceof AppError && err.issues?.[0]) return { path: `sort_${table}`, message: err.issues[0].message };
    throw err;
  }
}

const sortParser = (table: TableId) =>
  createParser<Sort>({
    parse: (v) => {
      const s = parseSort(table, v);
      return s && !("path" in s) ? s : null;
    },
    serialize: (s) => `${s.dir === "desc" ? "-" : ""}${s.col}`,
    eq: (a, b) => a.col === b.col && a.dir === b.dir,
  });

/** A filter: every value of a repeated parameter, in URL order (`utm_source=a&utm_source=b`); empty values dropped. */
const filterValues = parseAsNativeArrayOf(createParser<string>({ parse: (v) => (v === "" ? null : v), serialize: String }));


const filterParsers = Object.fromEntries(FILTER_PARAM_NAMES.map((name) => [name, filterValues])) as Record<FilterParamName, typeof filterValues>;
const sortParsers = Object.fromEntries(TABLES.map((t) => [`sort_${t}`, sortParser(t)])) as Record<`sort_${TableId}`, ReturnType<typeof sortParser>>;

/** Every parameter of the dashboard's URL and how it reads and writes. */
export const dashboardParsers = {
  period: parseAsStringLiteral(PERIODS),
  start_date: parseAsString,
  end_date: parseAsString,
  ...filterParsers,
  compare: ruled("compare"),
  /** Net revenue's refunds (SPEC 17.5): cash, or accrual when absent. */
  basis: parseAsStringLiteral(BASES),
  chart: ruled("chart").withDefault("sessions"),
  cohort_metric: ruled("cohort_metric").withDefault("retention"),
  cohort_type: ruled("cohort_type").withDefault("week"),
  cohort_range: ruled("cohort_range").withDefault(COHORT_DEFAULT_PERIOD),
  cohort_basis: ruled("cohort_basis").withDefault("paid"),
  revenue: ruled("revenue").withDefault("gross"),
  campaign: ruled("campaign"),
  spend: ruled("spend"),
  cursor: ruled("cursor"),
  model: ruled("model").withDefault("last_non_direct"),
  attribution_dimension: ruled("attribution_dimension").withDefault("utm_source"),
  ...sortParsers,
  [TAB_GROUPS.acquisition.param]: parseAsStringLiteral(TAB_GROUPS.acquisition.tabs).withDefault(TAB_GROUPS.acquisition.tabs[0]),
  [TAB_GROUPS.pages.param]: parseAsStringLiteral(TAB_GROUPS.pages.tabs).withDefault(TAB_GROUPS.pages.tabs[0]),
  [TAB_GROUPS.tech.param]: parseAsStringLiteral(TAB_GROUPS.tech.tabs).withDefault(TAB_GROUPS.tech.tabs[0]),
};

/** The URL's values, typed (defaults filled in). */
export type DashboardValues = inferParserType<typeof dashboardParsers>;
/** A change of the URL: a value sets the parameter (a list sets every value of a filter), null removes it. */
export type DashboardPatch = { [K in keyof DashboardValues]?: NonNullable<DashboardValues[K]> | null };

/** nuqs loader: any URL input (Next's searchParams, URLSearchParams, a query string) → typed values. */
export const loadDashboardParams = createLoader(dashboardParsers);
const serializeDashboard = createSerializer(dashboardParsers);

// ---------------------------------------------------------------------------------------------
// Changes of the URL (the client controls and the server-built links apply the same rules)

/** Parameters that select data; changing one restarts paging. */
const RESETS_CURSOR = new Set<string>(["period", "start_date", "end_date", ...FILTER_PARAM_NAMES]);

/**
 * A patch with the URL's rules applied: a new range or filter restarts paging; a preset replaces a
 * custom range and a custom range replaces the preset.
 */
export function withRules(patch: DashboardPatch): DashboardPatch {
  const out: DashboardPatch = { ...patch };
  if (Object.keys(patch).some((k) => RESETS_CURSOR.has(k))) out.cursor = null;
  if (patch.period) {
    out.start_date = null;
    out.end_date = null;
  }
  if (patch.start_date && patch.end_date) out.period = null;
  return out;
}

/** Every value of each parameter (repeated filters keep all their values). */
export function searchParamsOf(input: RawParams | URLSearchParams | string): URLSearchParams {
  if (typeof input === "string") return new URLSearchParams(input);
  if (input instanceof URLSearchParams) return new URLSearchParams(input);
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, x);
  return out;
}

/** A link to the view `current` with `patch` applied (server-rendered links: tabs, sorts, row filters, pages). */
export function dashboardHref(basePath: string, current: RawParams | URLSearchParams | string, patch: DashboardPatch): string {
  return `${basePath}${serializeDashboard(searchParamsOf(current), withRules(patch))}`;
}

/** The query string of typed values (what the client's state would write), without the `?`. */
export function queryOf(values: Partial<DashboardValues>): URLSearchParams {
  return new URLSearchParams(serializeDashboard(values));
}

// ---------------------------------------------------------------------------------------------
// The server's reading

export type DashboardState = {
  compare: boolean;
  /** What the comparison is against (`compare=1` is the previous period). */
  compareMode?: "previous_period" | "previous_year";
  chart: ChartMetric;
  cohortMetric: (typeof COHORT_METRIC_VALUES)[number];
  cohortType: (typeof COHORT_TYPE_VALUES)[number];
  cohortRange: CohortRange;
  cohortBasis: (typeof COHORT_BASIS_VALUES)[number];
  revenueView: RevenueView;
  campaign?: string;
  spend?: number;
  cursor?: string;
  model: (typeof ATTRIBUTION_MODEL_VALUES)[number];
  attributionDimension: (typeof ATTRIBUTION_DIMENSION_VALUES)[number];
  sort: Partial<Record<TableId, Sort>>;
  /** The active tab of each tabbed card (an unknown value is the first tab: presentation, never an error). */
  tabs: { [G in TabGroup]: (typeof TAB_GROUPS)[G]["tabs"][number] };
};

/** The dashboard's selectors; `issues` names each bad parameter (shown instead of crashing). */
export function parseDashboardState(input: RawParams | URLSearchParams): { state: DashboardState; issues: ParamIssue[] } {
  const sp = searchParamsOf(input);
  const v = loadDashboardParams(sp);
  const issues: ParamIssue[] = [];
  for (const [name, rule] of Object.entries(SELECTOR_RULES)) {
    const raw = sp.get(name);
    if (raw === null || (name === "spend" && raw === "")) continue;
    const r = rule.safeParse(raw);
    if (!r.success) for (const i of r.error.issues) issues.push({ path: name, message: i.message });
  }
  const sort: DashboardState["sort"] = {};
  for (const t of TABLES) {
    const s = parseSort(t, sp.get(`sort_${t}`));
    if (s && "path" in s) issues.push(s);
    else if (s) sort[t] = s;
  }
  const compare = v.compare !== null && v.compare !== "0";
  return {
    state: {
      compare,
      compareMode: v.compare === "previous_year" ? "previous_year" : compare ? "previous_period" : undefined,
      chart: v.chart,
      cohortMetric: v.cohort_metric,
      cohortType: v.cohort_type,
      cohortRange: v.cohort_range,
      cohortBasis: v.cohort_basis,
      revenueView: v.revenue,
      campaign: v.campaign || undefined,
      spend: v.spend ?? undefined,
      cursor: v.cursor || undefined,
      model: v.model,
      attributionDimension: v.attribution_dimension,
      sort,
      tabs: { acquisition: v.tab_source, pages: v.tab_pages, tech: v.tab_tech },
    },
    issues,
  };
}

// ---------------------------------------------------------------------------------------------
// Filters

type FilterValues = Pick<DashboardValues, FilterParamName>;

/**
 * One chip per active filter value (SPEC 12): `key` is the dimension, `param` the URL parameter
 * (`not_<key>` when `negated`), so `utm_source=google&utm_source=bing&not_device=mobile` gives
 * three chips.
 */
export type FilterChip = { key: FilterParam; param: FilterParamName; value: string; negated: boolean };

export function activeFilters(values: FilterValues): FilterChip[] {
  const out: FilterChip[] = [];
  for (const negated of [false, true]) {
    for (const key of FILTER_PARAMS) {
      const param: FilterParamName = negated ? `${NOT_PREFIX}${key}` : key;
      for (const value of new Set(values[param])) out.push({ key, param, value, negated });
    }
  }
  return out;
}

/** The patch that removes one chip's value and keeps the other values of its parameter. */
export function removeChipPatch(values: FilterValues, chip: Pick<FilterChip, "param" | "value">): DashboardPatch {
  return { [chip.param]: values[chip.param].filter((v) => v !== chip.value) };
}

/** Adds `added` as `is` (or `is not`) values of `dim`; a value moves out of the opposite list. */
export function addValuesPatch(values: FilterValues, dim: FilterParam, added: readonly string[], negated: boolean): DashboardPatch {
  const param: FilterParamName = negated ? `${NOT_PREFIX}${dim}` : dim;
  const opposite: FilterParamName = negated ? dim : `${NOT_PREFIX}${dim}`;
  const patch: DashboardPatch = { [param]: [...new Set([...values[param], ...added])] };
  const kept = values[opposite].filter((v) => !added.includes(v));
  if (kept.length !== values[opposite].length) patch[opposite] = kept;
  return patch;
}

// ---------------------------------------------------------------------------------------------
// Export and API links

/** Range + filters only (every value of a repeated filter): what the CSV export and API links repeat. */
export function rangeAndFilters(input: RawParams | URLSearchParams | string): URLSearchParams {
  const all = searchParamsOf(input);
  const out = new URLSearchParams();
  for (const k of ["period", "start_date", "end_date", "basis"]) {
    const v = all.get(k);
    if (v) out.set(k, v);
  }
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

// ---------------------------------------------------------------------------------------------
// Table sorts

/**
 * Sort rows by a column (the lists are small aggregates: at most a few hundred rows); the same
 * ordering as the CSV export's `sort` (lib/analytics/sort-rows.ts).
 */
export function sortRows<T extends object>(rows: readonly T[], sort: Sort | undefined): T[] {
  return sortObjects(rows, sort);
}

/** The sort a header click asks for: first click descending for numbers, then toggles. */
export function nextSort(current: Sort | undefined, col: string, numeric: boolean): Sort {
  if (current?.col === col) return { col, dir: current.dir === "desc" ? "asc" : "desc" };
  return { col, dir: numeric ? "desc" : "asc" };
}
