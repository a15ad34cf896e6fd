import "server-only";
import { parseAnalyticsQuery, periodRange, type AnalyticsQuery, type DateRange } from "@/lib/analytics/params";
import { shareAllowsRange, type ShareParams } from "@/lib/analytics/share-scope";
import { AppError } from "@/lib/errors";
import { isDbUnavailable, logError } from "@/lib/http/errors";
import type { I18n } from "@/lib/http/locale";
import { parseDashboardState, type DashboardState, type ParamIssue, type RawParams } from "./search-params";

/**
 * Everything a block needs to render one view: the parsed query (range + filters) and the
 * dashboard's selectors, the current query string for links, and who is looking (admin actions,
 * read-only share view).
 */
export type DashboardContext = {
  q: AnalyticsQuery;
  /** The cohort heatmap's own range (cohort_range preset) with the same filters. */
  cohortQ: AnalyticsQuery;
  state: DashboardState;
  /** The URL's parameters (every value of a repeated filter) for building links. */
  params: RawParams;
  basePath: string;
  shareToken?: string;
  readOnly: boolean;
  /**
   * Whether a block may read `range` (SPEC 16): always on the dashboard; on a shared view only
   * inside the link's range (a comparison outside it is not drawn).
   */
  allowsRange: (range: DateRange) => boolean;
  /** A share link that fixed the A/B campaign: the selector is hidden. */
  campaignLocked: boolean;
  isAdmin: boolean;
  i18n: I18n;
};

export type BuildResult = { ok: true; ctx: DashboardContext } | { ok: false; issues: ParamIssue[] };

export function buildContext(
  raw: RawParams | URLSearchParams,
  opts: { basePath: string; i18n: I18n; isAdmin: boolean; shareToken?: string; lockedParams?: ShareParams; now?: Date },
): BuildResult {
  const params = raw instanceof URLSearchParams ? recordOf(raw) : raw;
  const { state, issues } = parseDashboardState(params);
  let q: AnalyticsQuery | undefined;
  try {
    // Every value of a repeated filter (SPEC 12), not only the first.
    q = parseAnalyticsQuery(raw, { now: opts.now });
  } catch (err) {
    if (err instanceof AppError) issues.unshift(...(err.issues ?? [{ path: "(query)", message: err.message }]));
    else throw err;
  }
  if (!q || issues.length) return { ok: false, issues };
  // A shared view keeps the cohorts inside its own (locked) range: cohort_range could widen it.
  const cohortQ = opts.shareToken !== undefined ? q : { ...q, period: state.cohortRange, range: periodRange(state.cohortRange, q.today) };
  return {
    ok: true,
    ctx: {
      q,
      cohortQ,
      state,
      params,
      basePath: opts.basePath,
      shareToken: opts.shareToken,
      readOnly: opts.shareToken !== undefined,
      allowsRange: shareAllowsRange(opts.lockedParams, q),
      campaignLocked: opts.lockedParams?.campaign !== undefined,
      isAdmin: opts.isAdmin && opts.shareToken === undefined,
      i18n: opts.i18n,
    },
  };
}

/** URLSearchParams → Next's searchParams shape (a repeated key as an array). */
function recordOf(sp: URLSearchParams): RawParams {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(sp.keys())) {
    const all = sp.getAll(k);
    out[k] = all.length === 1 ? all[0] : all;
  }
  return out;
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string };

/** Runs a block's query; a failure becomes a message in place of that block only. */
export async function load<T>(ctx: DashboardContext, what: string, fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    logError(`dashboard block "${what}" failed`, err);
    const t = ctx.i18n.t;
    if (err instanceof AppError && err.code !== "unavailable") return { ok: false, message: err.message };
    return { ok: false, message: isDbUnavailable(err) ? t.dbUnavailable : t.blockError };
  }
}
