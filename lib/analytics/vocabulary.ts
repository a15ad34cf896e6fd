/**
 * The analytics vocabulary (SPEC 3.4, 4, 12, 13): plain constants with no server imports, so the parser
 * (params.ts), the reports, the exports and the dashboard's client-side URL state
 * (app/dispatcher/search-params.ts) all read the same lists instead of keeping copies.
 */

export const PERIODS = ["day", "week", "month", "quarter", "year", "all"] as const;
export type Period = (typeof PERIODS)[number];
/** `basis` of the revenue reports (SPEC 17.5). */
export const BASES = ["accrual", "cash"] as const;
export type Basis = (typeof BASES)[number];

/** The dimension filters (SPEC 3.4, 12, 13, 17.4) are rows of one registry, lib/dimensions.ts. */
import { FILTER_KEYS } from "@/lib/dimensions";
export { FILTER_KEYS, ATTRIBUTION_DIMENSION_KEYS, type FilterKey } from "@/lib/dimensions";
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
/** `margin` = margin LTV, `poas` = payback on margin (SPEC 18). */
export const COHORT_METRICS = ["retention", "orders", "revenue", "ltv", "roas", "margin", "poas"] as const;
/** Cohorts read the last 90 days when the request names no range (endpoint, CSV, dashboard). */
export const COHORT_DEFAULT_PERIOD = "quarter" satisfies Period;

export const ATTRIBUTION_MODELS = ["last_non_direct", "last_click", "first_click", "linear", "position_based", "time_decay"] as const;
