import { forbidden } from "@/lib/errors";
import { FILTER_KEYS, parseAnalyticsQuery, toRecord, type AnalyticsQuery, type SearchInput } from "./params";

/**
 * A share link locks one view (SPEC 6, 10): its filters are fixed and its range is the widest a
 * viewer may see. A request through a share token may narrow the range, never widen it, and may
 * neither add, change nor remove a filter. Selector parameters that act like filters (the A/B
 * `campaign`) are locked the same way when the link fixed them.
 */

/** Parameters that narrow the data like a filter; a link that sets one locks it. */
const LOCKED_SELECTORS = ["campaign"] as const;

export function assertShareAllows(shareParams: Record<string, string>, q: AnalyticsQuery, sp: SearchInput): void {
  let locked: AnalyticsQuery;
  try {
    // Resolve the locked view with the request's clock and zone so relative periods compare fairly.
    locked = parseAnalyticsQuery(shareParams, { now: q.now, tz: q.tz });
  } catch {
    throw forbidden("This share link's view is no longer valid");
  }
  for (const k of FILTER_KEYS) {
    if (locked.filters[k] !== q.filters[k]) {
      throw forbidden(`A share link cannot change its filters (${k})`);
    }
  }
  const req = toRecord(sp);
  for (const k of LOCKED_SELECTORS) {
    if (shareParams[k] !== undefined && req[k] !== shareParams[k]) {
      throw forbidden(`A share link cannot change its ${k}`);
    }
  }
  if (q.range.start < locked.range.start || q.range.end > locked.range.end) {
    throw forbidden("A share link cannot widen its date range");
  }
}
