import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { CampaignSuggestion } from "@/lib/analytics/campaign-suggestions";
import { costsEn, costsUk } from "@/lib/i18n/costs";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));
const { CampaignMapForm } = await import("@/app/settings/CampaignMapForm");
const { SpendUpload } = await import("@/app/dispatcher/client/SpendUpload");

const suggestion: CampaignSuggestion = {
  utm_source: "google",
  platform_campaign: "Spring Sale 2026",
  platform_campaign_id: "20123456790",
  spend: 350,
  utm_campaign: "spring-sale-2026",
  reason: "utm_id",
  score: 1,
  sessions: 2,
};

describe("Settings › Campaign mapping suggestions (SPEC 18)", () => {
  it("lists each suggestion with its reason in both languages; admins get one accept button per suggestion, viewers none", () => {
    for (const s of [costsEn, costsUk]) {
      const html = renderToStaticMarkup(<CampaignMapForm initial={[]} seen={[]} suggestions={[suggestion, { ...suggestion, utm_campaign: "spring_sale", reason: "tokens", score: 0.5 }]} s={s} admin />);
      expect(html).toContain('data-campaign-suggestions="2"');
      expect(html.match(/data-campaign-accept/g)).toHaveLength(2);
      expect(html).toContain(s.reasons.utm_id);
      expect(html).toContain(s.suggestionsTitle);
      expect(renderToStaticMarkup(<CampaignMapForm initial={[]} seen={[]} suggestions={[suggestion]} s={s} admin={false} />)).not.toContain("data-campaign-accept");
    }
    expect(renderToStaticMarkup(<CampaignMapForm initial={[]} seen={[]} suggestions={[]} s={costsEn} admin />)).not.toContain("data-campaign-suggestions");
  });

  it("the spend upload has a currency field beside the rate (SPEC 17.5)", () => {
    const html = renderToStaticMarkup(<SpendUpload labels={costsUk} appCurrency="UAH" />);
    expect(html).toContain('name="currency"');
    expect(html).toContain(costsUk.currencyField);
    expect(html).toContain('name="rate"');
  });
});
