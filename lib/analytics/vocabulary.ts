/**
 * The analytics vocabulary (SPEC 3.4, 4, 12, 13): plain constants with no imports, so the parser
 * (params.ts), the reports, the exports and the dashboard's client-side URL state
 * (app/dispatcher/search-params.ts) all read the same lists instead of keeping copies.
 */

export const PERIODS = ["day", "week", "month", "quarter", "year", "all"] as const;
export type Period = (typeof PERIODS)[number];
/** `basis` of the revenue reports (SPEC 17.5). */
export const BASES = ["accrual", "cash"] as const;
export type Basis = (typeof BASES)[number];

/** The dimension filters, in the order they are parsed and written back (SPEC 3.4, 12, 17.4). */
export const FILTER_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "country", "device", "browser", "os", "landing_page", "referrer", "channel"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
/** `not_<dimension>` excludes a value (SPEC 12). */
export const NOT_PREFIX = "not_";

/** Every filter parameter a URL may carry: each dimension and its `not_` form. */
export const FILTER_PARAM_NAMES: readonly string[] = [...FILTER_KEYS, ...FILTER_KEYS.map((k) => `${NOT_PREFIX}${k}`)];

/** Parameters a share link may lock: range, filters and the dashboard's selectors. */
export const SHAREABLE_PARAMS: readonly string[] = [
  "period",
  "start_date",
  "end_date",
  ...FILTER_PARAM_NAMES,
  "compare",
  "cohort_metric",
  "cohort_type",
  "cohort_range",
  "cohort_basis",
  "revenue",
  "campaign",
  "chart",
];

export const COHORT_TYPES = ["day", "week", "month"] as const;
export const COHORT_METRICS = ["retention", "orders", "revenue", "ltv", "roas"] as const;
/** Cohorts read the last 90 days when the request names no range (endpoint, CSV, dashboard). */
export const COHORT_DEFAULT_PERIOD = "quarter" satisfies Period;

/** Attribution dimensions (SPEC 13): filter keys, so each maps to its filter's column. */
export const ATTRIBUTION_DIMENSION_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "country", "device", "landing_page", "referrer", "channel"] as const satisfies readonly FilterKey[];
export const ATTRIBUTION_MODELS = ["last_non_direct", "last_click", "first_click", "linear", "position_based", "time_decay"] as const;
