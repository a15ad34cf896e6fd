/**
 * The analytics endpoints the bench times (SPEC 4 / 9): each is called through its real route
 * handler, in process, with a read token, so guard, parsing, SQL and JSON encoding are all measured.
 */

export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type BenchEndpoint = {
  name: string;
  /** Path and extra query parameters; `{id}` is replaced by a session id. */
  path: string;
  query?: Record<string, string>;
  load: () => Promise<{ GET: unknown }>;
  /** Route params (dynamic segments). */
  params?: (ids: { sessionId: string }) => Record<string, string>;
  /** Fewer repetitions for endpoints that stream the whole selection. */
  heavy?: boolean;
};

export const BENCH_ENDPOINTS: BenchEndpoint[] = [
  { name: "general-stats", path: "general-stats", load: () => import("@/app/api/utm/general-stats/route") },
  { name: "timeseries", path: "timeseries", load: () => import("@/app/api/utm/timeseries/route") },
  { name: "sources", path: "sources", load: () => import("@/app/api/utm/sources/route") },
  { name: "campaigns", path: "campaigns", load: () => import("@/app/api/utm/campaigns/route") },
  { name: "content", path: "content", load: () => import("@/app/api/utm/content/route") },
  { name: "geo", path: "geo", load: () => import("@/app/api/utm/geo/route") },
  { name: "devices", path: "devices", load: () => import("@/app/api/utm/devices/route") },
  { name: "browsers", path: "browsers", load: () => import("@/app/api/utm/browsers/route") },
  { name: "operating-systems", path: "operating-systems", load: () => import("@/app/api/utm/operating-systems/route") },
  { name: "mediums", path: "mediums", load: () => import("@/app/api/utm/mediums/route") },
  { name: "terms", path: "terms", load: () => import("@/app/api/utm/terms/route") },
  { name: "landing-pages", path: "landing-pages", load: () => import("@/app/api/utm/landing-pages/route") },
  { name: "referrers", path: "referrers", load: () => import("@/app/api/utm/referrers/route") },
  { name: "channels", path: "channels", load: () => import("@/app/api/utm/channels/route") },
  { name: "events", path: "events", load: () => import("@/app/api/utm/events/route") },
  { name: "timeseries (hour)", path: "timeseries", query: { period: "day", interval: "hour" }, load: () => import("@/app/api/utm/timeseries/route") },
  {
    name: "sources (filter + not_ filter)",
    path: "sources",
    query: { utm_medium: "cpc", not_device: "tablet" },
    load: () => import("@/app/api/utm/sources/route"),
  },
  { name: "funnel", path: "funnel", load: () => import("@/app/api/utm/funnel/route") },
  { name: "returning-visitors", path: "returning-visitors", load: () => import("@/app/api/utm/returning-visitors/route") },
  { name: "sessions", path: "sessions", load: () => import("@/app/api/utm/sessions/route") },
  {
    name: "{id}/session-detail",
    path: "{id}/session-detail",
    load: () => import("@/app/api/utm/[id]/session-detail/route"),
    params: ({ sessionId }) => ({ id: sessionId }),
  },
  { name: "compare", path: "compare", load: () => import("@/app/api/utm/compare/route") },
  { name: "compare (previous_year)", path: "compare", query: { compare: "previous_year" }, load: () => import("@/app/api/utm/compare/route") },
  { name: "roi", path: "roi", load: () => import("@/app/api/utm/roi/route") },
  { name: "spend-audit", path: "spend-audit", load: () => import("@/app/api/utm/spend-audit/route") },
  { name: "cohort-analysis (roas)", path: "cohort-analysis", query: { metric: "roas" }, load: () => import("@/app/api/utm/cohort-analysis/route") },
  { name: "attribution", path: "attribution", load: () => import("@/app/api/utm/attribution/route") },
  { name: "attribution/compare", path: "attribution/compare", load: () => import("@/app/api/utm/attribution/compare/route") },
  { name: "cohort-analysis", path: "cohort-analysis", load: () => import("@/app/api/utm/cohort-analysis/route") },
  { name: "ltv-comparison", path: "ltv-comparison", load: () => import("@/app/api/utm/ltv-comparison/route") },
  { name: "repeat-rate", path: "repeat-rate", load: () => import("@/app/api/utm/repeat-rate/route") },
  { name: "ab-test", path: "ab-test", query: { campaign: "{campaign}" }, load: () => import("@/app/api/utm/ab-test/route") },
  { name: "export-csv (sources)", path: "export-csv", query: { report: "sources" }, load: () => import("@/app/api/utm/export-csv/route") },
  {
    name: "export-csv (sessions)",
    path: "export-csv",
    query: { report: "sessions" },
    load: () => import("@/app/api/utm/export-csv/route"),
    heavy: true,
  },
];
