import { describe, expect, it } from "vitest";
import { rangeInside, shareAllowsRange } from "@/lib/analytics/share-scope";

const q = { now: new Date("2026-03-20T12:00:00Z"), tz: "UTC" };

describe("shareAllowsRange: the one range rule of a shared view's second range", () => {
  it("allows any range without a link", () => {
    expect(shareAllowsRange(undefined, q)({ start: "2000-01-01", end: "2030-12-31" })).toBe(true);
  });
  it("allows only ranges inside the link's own range (1–31 March here)", () => {
    const allows = shareAllowsRange({ start_date: "2026-03-01", end_date: "2026-03-31" }, q);
    expect(allows({ start: "2026-03-01", end: "2026-03-31" })).toBe(true);
    expect(allows({ start: "2026-03-10", end: "2026-03-12" })).toBe(true);
    // The previous period of the whole month (29 Jan – 28 Feb) lies outside it.
    expect(allows({ start: "2026-01-29", end: "2026-02-28" })).toBe(false);
    expect(allows({ start: "2026-03-15", end: "2026-04-01" })).toBe(false);
  });
  it("allows nothing when the link's parameters no longer parse", () => {
    expect(shareAllowsRange({ start_date: "not-a-date", end_date: "2026-03-31" }, q)({ start: "2026-03-10", end: "2026-03-12" })).toBe(false);
  });
  it("rangeInside is inclusive at both ends", () => {
    expect(rangeInside({ start: "2026-03-01", end: "2026-03-31" }, { start: "2026-03-31", end: "2026-03-31" })).toBe(true);
    expect(rangeInside({ start: "2026-03-01", end: "2026-03-31" }, { start: "2026-02-28", end: "2026-03-01" })).toBe(false);
  });
});
