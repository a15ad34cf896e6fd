import { describe, expect, it } from "vitest";
import { buildTaggedUrl, isHttpUrl } from "@/lib/links/build";
import { checkLink, DEFAULT_UTM_RULES, parseList } from "@/lib/links/rules";

describe("buildTaggedUrl", () => {
  it("adds the five UTM parameters in order, keeping other parameters and the fragment", () => {
    expect(
      buildTaggedUrl("https://shop.example/sale?ref=x#top", { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring sale", utm_content: "a", utm_term: "shoes" }),
    ).toBe("https://shop.example/sale?ref=x&utm_source=google&utm_medium=cpc&utm_campaign=spring+sale&utm_content=a&utm_term=shoes#top");
  });
  it("replaces existing utm_* values and drops an unset content/term", () => {
    expect(buildTaggedUrl("https://shop.example/?utm_source=old&utm_term=x", { utm_source: "fb", utm_medium: "paid", utm_campaign: "c1", utm_content: "(none)", utm_term: "" })).toBe(
      "https://shop.example/?utm_source=fb&utm_medium=paid&utm_campaign=c1",
    );
  });
  it("encodes non-ASCII and reserved characters", () => {
    expect(buildTaggedUrl("https://shop.example", { utm_source: "google", utm_medium: "cpc", utm_campaign: "знижки&50%" })).toBe(
      "https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=%D0%B7%D0%BD%D0%B8%D0%B6%D0%BA%D0%B8%2650%25",
    );
  });
  it("refuses a base that is not http(s)", () => {
    expect(() => buildTaggedUrl("javascript:alert(1)", {})).toThrow();
    expect(isHttpUrl("ftp://x.example/")).toBe(false);
    expect(isHttpUrl("shop.example")).toBe(false);
    expect(isHttpUrl("http://shop.example")).toBe(true);
  });
});

describe("naming rules", () => {
  const base = { base_url: "https://shop.example/", utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" };
  it("normalises: trims, (none) for unset content/term, empty name → null", () => {
    expect(checkLink({ ...base, utm_campaign: " spring ", name: "  " }, DEFAULT_UTM_RULES)).toEqual({
      link: { name: null, base_url: "https://shop.example/", utm_source: "google", utm_medium: "cpc", utm_campaign: "spring", utm_content: "(none)", utm_term: "(none)" },
      issues: [],
    });
  });
  it("requires URL, source, medium and campaign", () => {
    expect(checkLink({ base_url: "nope" }, DEFAULT_UTM_RULES).issues.map((i) => i.path)).toEqual(["base_url", "utm_source", "utm_medium", "utm_campaign"]);
  });
  it("lower case: campaign/content/term only when the rule is on; source and medium always", () => {
    const upper = { ...base, utm_source: "Google", utm_campaign: "Spring" };
    expect(checkLink(upper, DEFAULT_UTM_RULES).issues).toEqual([
      { path: "utm_source", message: "must be lower case (google)" },
      { path: "utm_campaign", message: "must be lower case (spring)" },
    ]);
    expect(checkLink(upper, { ...DEFAULT_UTM_RULES, lowercase: false }).issues.map((i) => i.path)).toEqual(["utm_source"]);
  });
  it("allowed sources and mediums (an empty list allows any)", () => {
    const rules = { lowercase: true, allowed_sources: ["google", "facebook"], allowed_mediums: ["cpc"] };
    expect(checkLink(base, rules).issues).toEqual([]);
    expect(checkLink({ ...base, utm_source: "tiktok", utm_medium: "paid" }, rules).issues).toEqual([
      { path: "utm_source", message: "must be one of google, facebook" },
      { path: "utm_medium", message: "must be one of cpc" },
    ]);
  });
  it("parseList splits on commas and new lines, lower-cases and drops duplicates", () => {
    expect(parseList(" Google, facebook\nGOOGLE,, tiktok \n")).toEqual(["google", "facebook", "tiktok"]);
  });
});
