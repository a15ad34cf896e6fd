import type { AbTestAnswer } from "./ab-test";

/**
 * What an A/B result may claim (SPEC 18 "labels that do not mislead"), one rule for the dashboard
 * and the e-mail: a winner, its trophy and its lift only when the test `is_significant`; a leader
 * that is not significant is named as leading, nothing more; a single variant has nothing to be
 * best against, so no "probability to be best" is shown. The API answer itself stays SPEC 5.4's.
 */
export type AbVerdict = {
  /** The significant winner, or null. */
  winner: string | null;
  /** Its lift over the runner-up (%), only with a winner. */
  lift: number | null;
  /** The top variant when it leads without significance (no trophy, no lift). */
  leader: string | null;
  /** Whether "probability to be best" means anything: two or more variants. */
  showProbability: boolean;
};

export function abVerdict(a: Pick<AbTestAnswer, "winner" | "winner_lift" | "is_significant"> & { variants: readonly unknown[] }): AbVerdict {
  const significant = a.is_significant === true && a.winner !== null && a.variants.length >= 2;
  return {
    winner: significant ? a.winner : null,
    lift: significant ? (a.winner_lift ?? null) : null,
    leader: !significant && a.variants.length >= 2 ? a.winner : null,
    showProbability: a.variants.length >= 2,
  };
}
