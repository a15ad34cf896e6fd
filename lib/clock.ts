/**
 * The time "now" for an analytics request when the caller gives none (parseAnalyticsQuery). Only
 * scripts/dump-answers.ts fixes it, so the answers of every endpoint on the demo data can be
 * compared byte for byte across commits; everything else reads the real clock.
 */

let fixed: Date | undefined;

/** Fix the clock (a script) or give it back to real time (`undefined`). */
export function setFixedNow(at: Date | undefined): void {
  fixed = at;
}

export function currentTime(): Date {
  return fixed ? new Date(fixed.getTime()) : new Date();
}
