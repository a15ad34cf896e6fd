import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { watchEn } from "@/lib/i18n/watch";

vi.mock("server-only", () => ({}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }) }));
const { annotationBucket } = await import("@/app/dispatcher/blocks/timeseries");
const { AnnotationList } = await import("@/app/dispatcher/client/Annotations");
const { currentParams, viewPatch } = await import("@/app/dispatcher/client/SavedViews");

describe("annotationBucket: the bucket an annotation's day falls in", () => {
  const days = [{ date: "2026-03-01" }, { date: "2026-03-02" }, { date: "2026-03-03" }];
  it("days: the same day; before the first bucket: none", () => {
    expect(annotationBucket(days, "day", "2026-03-02", "UTC")).toBe(1);
    expect(annotationBucket(days, "day", "2026-02-28", "UTC")).toBe(-1);
  });
  it("weeks and months: the last bucket starting on or before the day", () => {
    // Weeks start Mondays 2 and 9 March: Sunday the 8th is in the first, the 9th in the second.
    const weeks = [{ date: "2026-03-02" }, { date: "2026-03-09" }];
    expect([annotationBucket(weeks, "week", "2026-03-08", "UTC"), annotationBucket(weeks, "week", "2026-03-09", "UTC")]).toEqual([0, 1]);
  });
  it("hours: the first hour of that day in the zone", () => {
    // Kyiv is UTC+2 in March: 22:00Z on 9 March is already 00:00 on the 10th there.
    const hours = [{ date: "2026-03-09T21:00:00.000Z" }, { date: "2026-03-09T22:00:00.000Z" }, { date: "2026-03-09T23:00:00.000Z" }];
    expect(annotationBucket(hours, "hour", "2026-03-10", "Europe/Kyiv")).toBe(1);
    expect(annotationBucket(hours, "hour", "2026-03-11", "Europe/Kyiv")).toBe(-1);
  });
});

describe("annotation texts are text, never markup", () => {
  it("escapes a hostile note", () => {
    const html = renderToStaticMarkup(
      <AnnotationList
        annotations={[{ kind: "note", id: 1, date: "2026-03-07", text: `<img src=x onerror="alert(1)">`, utm_source: "<b>g</b>", utm_campaign: null }]}
        canEdit
        today="2026-03-10"
        locale="en"
        s={watchEn}
        dims={{ utm_source: "Source", utm_campaign: "Campaign" }}
        textMax={280}
      />,
    );
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("Source: &lt;b&gt;g&lt;/b&gt;");
  });
});

describe("saved views ↔ URL", () => {
  it("stores the range and every filter value, not the layout", () => {
    const q = new URLSearchParams("period=year&utm_source=google&utm_source=bing&not_device=tablet&chart=revenue&tab_acquisition=campaigns&basis=cash");
    expect(currentParams(q)).toEqual({ period: "year", utm_source: ["google", "bing"], not_device: ["tablet"] });
  });
  it("applying sets exactly the view's parameters and clears the other range and filter ones", () => {
    const patch = viewPatch({ start_date: "2026-03-01", end_date: "2026-03-31", utm_campaign: "spring" }) as Record<string, unknown>;
    expect(patch).toMatchObject({ period: null, start_date: "2026-03-01", end_date: "2026-03-31", utm_campaign: ["spring"], utm_source: null, not_utm_source: null });
    expect(Object.keys(patch)).not.toContain("chart");
  });
});
