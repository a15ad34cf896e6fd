/**
 * The session dimensions, one row each: every name a dimension has, in one place (client-safe,
 * no imports, so the parser, the SQL, the dashboard and its client code all read it).
 *   key          the filter parameter (`os=…`, `not_os=…`) and the i18n `dims` key
 *   column       the `sessions` column: the allow-list of identifiers spliced into SQL
 *   endpoint     the breakdown endpoint `/api/utm/<endpoint>` and its CSV `report=`
 *   table        the dashboard table id (`sort_<table>`, tabs, `dash.tabs` labels)
 *   attributable an attribution `dimension=` (SPEC 13): browser and OS are not
 * Row order is the order filters are parsed and written back to URLs.
 * A new dimension: a row here, its column's migration, and its normaliser in lib/ingest/.
 */
export const DIMENSIONS = {
  utm_source: { column: "utm_source", endpoint: "sources", table: "sources", attributable: true },
  utm_medium: { column: "utm_medium", endpoint: "mediums", table: "mediums", attributable: true },
  utm_campaign: { column: "utm_campaign", endpoint: "campaigns", table: "campaigns", attributable: true },
  utm_content: { column: "utm_content", endpoint: "content", table: "content", attributable: true },
  utm_term: { column: "utm_term", endpoint: "terms", table: "terms", attributable: true },
  country: { column: "country", endpoint: "geo", table: "geo", attributable: true },
  device: { column: "device", endpoint: "devices", table: "devices", attributable: true },
  browser: { column: "browser", endpoint: "browsers", table: "browsers", attributable: false },
  os: { column: "os", endpoint: "operating-systems", table: "os", attributable: false },
  landing_page: { column: "landing_page", endpoint: "landing-pages", table: "landing_pages", attributable: true },
  referrer: { column: "referrer_host", endpoint: "referrers", table: "referrers", attributable: true },
  // SPEC 17.4
  channel: { column: "channel", endpoint: "channels", table: "channels", attributable: true },
} as const;

type Registry = typeof DIMENSIONS;
export type FilterKey = keyof Registry;
export type DimensionColumn = Registry[FilterKey]["column"];
/** A breakdown endpoint name (`sources`, `operating-systems`, …). */
export type BreakdownDimension = Registry[FilterKey]["endpoint"];
/** A dashboard breakdown table id (`sources`, `os`, `landing_pages`, …). */
export type DimensionTable = Registry[FilterKey]["table"];
export type AttributionDimension = { [K in FilterKey]: Registry[K]["attributable"] extends true ? K : never }[FilterKey];

const keys = Object.keys(DIMENSIONS) as FilterKey[];

/** The filter keys in registry order (a tuple type, so zod enums accept it). */
export const FILTER_KEYS = keys as [FilterKey, ...FilterKey[]];
export const ATTRIBUTION_DIMENSION_KEYS = keys.filter((k) => DIMENSIONS[k].attributable) as [AttributionDimension, ...AttributionDimension[]];

const mapBy = <A extends string, B extends string>(from: (k: FilterKey) => A, to: (k: FilterKey) => B) =>
  Object.fromEntries(keys.map((k) => [from(k), to(k)])) as Record<A, B>;

/** Filter key → column. */
export const FILTER_COLUMNS = mapBy((k) => k, (k) => DIMENSIONS[k].column) as { [K in FilterKey]: Registry[K]["column"] };
/** Breakdown endpoint → column. */
export const ENDPOINT_COLUMNS = mapBy<BreakdownDimension, DimensionColumn>((k) => DIMENSIONS[k].endpoint, (k) => DIMENSIONS[k].column);
/** Filter key → breakdown endpoint (the filter picker's suggestions). */
export const DIMENSION_ENDPOINTS = mapBy<FilterKey, BreakdownDimension>((k) => k, (k) => DIMENSIONS[k].endpoint);
/** Dashboard table → its breakdown endpoint and filter key. */
export const TABLE_DIMENSIONS = Object.fromEntries(keys.map((k) => [DIMENSIONS[k].table, { report: DIMENSIONS[k].endpoint, filter: k }])) as Record<
  DimensionTable,
  { report: BreakdownDimension; filter: FilterKey }
>;
export const DIMENSION_TABLES = keys.map((k) => DIMENSIONS[k].table);
