import { forbidden } from "@/lib/errors";
import {
  FILTER_KEYS,
  NOT_PREFIX,
  paramValues,
  parseAnalyticsQuery,
  toRecord,
  type AnalyticsQuery,
  type DateRange,
  type FilterKey,
  type SearchInput,
} from "./params";

/**
 * A share link locks one view (SPEC 6, 10, 12, 16): its range is the widest a viewer may see and
 * its filters can only be narrowed. Every range an answer uses (the main range, compare ranges,
 * cohort and LTV ranges) must lie inside the locked range, and every session revealed must lie in
 * the selection (session detail checks that in SQL). Per dimension a request may:
 *
 *   locked `k=a,b` (is)      keep a non-empty subset of {a, b}; another value, an empty list
 *                            (filter removed) or only `not_k` values → 403
 *   locked `not_k=x`         keep x among its `not_k` values (more are fine); dropping x → 403
 *   a dimension not locked   anything (`k=…` or `not_k=…` only narrows)
 *
 * Selector parameters that act like filters (the A/B `campaign`) are locked when the link fixed
 * them: a request that names another value gets 403.
 */

/** The parameters a share link stores: one string, or a list for a repeated filter. */
export type ShareParams = Record<string, string | string[]>;

/** Parameters that narrow the data like a filter; a link that sets one locks it. */
const LOCKED_SELECTORS = ["campaign"] as const;

/** Parameters that choose the range: a request with none of them gets the link's range. */
export const RANGE_PARAMS = ["period", "start_date", "end_date"] as const;

/** The link's view resolved on the request's clock and zone (relative periods compare fairly). */
export function lockedQuery(shareParams: ShareParams, q: Pick<AnalyticsQuery, "now" | "tz">): AnalyticsQuery {
  try {
    return parseAnalyticsQuery(shareParams, { now: q.now, tz: q.tz });
  } catch {
    throw forbidden("This share link's view is no longer valid");
  }
}

/** True when the request names no range (it then gets the link's own range). */
export function namesNoRange(sp: SearchInput): boolean {
  const all = paramValues(sp);
  return RANGE_PARAMS.every((k) => !all.has(k));
}

function filterAllowed(k: FilterKey, locked: AnalyticsQuery, q: AnalyticsQuery): boolean {
  const l = locked.filters[k];
  if (!l) return true;
  const r = q.filters[k] ?? { is: [], not: [] };
  if (l.is.length > 0 && (r.is.length === 0 || r.is.some((v) => !l.is.includes(v)))) return false;
  return l.not.every((v) => r.not.includes(v));
}

/** Whether `range` lies inside a link's range: the one range rule of shared views. */
export function rangeInside(locked: DateRange, range: DateRange): boolean {
  return range.start >= locked.start && range.end <= locked.end;
}

/**
 * The range test a shared dashboard view applies to a block's second range (comparison): any
 * range without a link; inside the link's range with one; nothing when the link's own
 * parameters no longer parse (the view then shows no second range rather than a wider one).
 */
export function shareAllowsRange(shareParams: ShareParams | undefined, q: Pick<AnalyticsQuery, "now" | "tz">): (range: DateRange) => boolean {
  if (!shareParams) return () => true;
  let locked: DateRange;
  try {
    locked = lockedQuery(shareParams, q).range;
  } catch {
    return () => false;
  }
  return (range) => rangeInside(locked, range);
}

/** 403 unless `range` lies inside the link's range; `param` names what asked for it. */
export function assertRangeInside(locked: AnalyticsQuery, range: DateRange, param: string): void {
  if (!rangeInside(locked.range, range)) {
    throw forbidden(`A share link cannot widen its date range (${param})`);
  }
}

export function assertShareAllows(shareParams: ShareParams, q: AnalyticsQuery, sp: SearchInput): AnalyticsQuery {
  const locked = lockedQuery(shareParams, q);
  for (const k of FILTER_KEYS) {
    if (!filterAllowed(k, locked, q)) {
      const negatedOnly = (locked.filters[k]?.is.length ?? 0) === 0;
      throw forbidden(`A share link cannot remove or widen its filters (${negatedOnly ? `${NOT_PREFIX}${k}` : k})`);
    }
  }
  const req = toRecord(sp);
  for (const k of LOCKED_SELECTORS) {
    const lockedValue = shareParams[k];
    // Endpoints without the selector ignore it; the A/B test answers 400 without a campaign.
    if (lockedValue !== undefined && req[k] !== undefined && req[k] !== (Array.isArray(lockedValue) ? lockedValue[0] : lockedValue)) {
      throw forbidden(`A share link cannot change its ${k}`);
    }
  }
  assertRangeInside(locked, q.range, "start_date");
  return locked;
}

/**
 * What a shared view shows of the orders no touchpoint claims (SPEC 13, 21). They have no session
 * and so no dimension value: a view scoped by any dimension filter holds none of them, although
 * the dashboard's own answer counts them whatever the filters (SPEC 13). A view without filters
 * sees them all.
 */
export function unattributedInView<U extends { orders: number; revenue: number }>(unattributed: U, view: Pick<AnalyticsQuery, "filters">): U {
  const scoped = Object.values(view.filters).some((f) => f !== undefined && (f.is.length > 0 || f.not.length > 0));
  return scoped ? { ...unattributed, orders: 0, revenue: 0 } : unattributed;
}
