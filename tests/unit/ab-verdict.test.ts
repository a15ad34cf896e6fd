import { describe, expect, it } from "vitest";
import { abVerdict } from "@/lib/analytics/ab-test-display";

describe("abVerdict (SPEC 18: a winner, trophy and lift only when significant)", () => {
  const two = [{}, {}];
  it("significant: winner and lift", () => {
    expect(abVerdict({ winner: "A", winner_lift: 25, is_significant: true, variants: two })).toEqual({ winner: "A", lift: 25, leader: null, showProbability: true });
  });
  it("leading but not significant: no winner, no lift, named as leader", () => {
    expect(abVerdict({ winner: "A", winner_lift: 25, is_significant: false, variants: two })).toEqual({ winner: null, lift: null, leader: "A", showProbability: true });
  });
  it("a tie: nothing to name", () => {
    expect(abVerdict({ winner: null, winner_lift: null, is_significant: false, variants: two })).toEqual({ winner: null, lift: null, leader: null, showProbability: true });
  });
  it("a single variant: no winner and no probability to be best", () => {
    expect(abVerdict({ winner: "A", winner_lift: null, is_significant: true, variants: [{}] })).toEqual({ winner: null, lift: null, leader: null, showProbability: false });
  });
});
