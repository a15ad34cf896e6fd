import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ALERT_METRICS } from "@/lib/alerts/vocabulary";
import { ALERTS_STRINGS } from "@/lib/i18n/alerts";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));
const { AlertsForms, parseFilterText } = await import("@/app/settings/AlertsForm");

const channels = [
  { id: 1, name: "Ops mail", kind: "email" as const },
  { id: 2, name: "Team <Slack>", kind: "slack" as const },
  { id: 3, name: "TG", kind: "telegram" as const },
];
const periods = { day: "Daily", week: "Weekly", month: "Monthly" };

describe("Settings › Alerts forms", () => {
  it("offers every metric in both languages, every channel for rules and only Slack/Telegram for reports", () => {
    for (const locale of ["en", "uk"] as const) {
      const html = renderToStaticMarkup(<AlertsForms locale={locale} channels={channels} periods={periods} />);
      for (const m of ALERT_METRICS) expect(html).toContain(`<option value="${m}">${ALERTS_STRINGS[locale].metrics[m]}</option>`);
      expect(html).toContain(ALERTS_STRINGS[locale].addRule);
      // Rule checkboxes: all three channels; the report picker: channels 2 and 3 only.
      expect(html.match(/name="channel_ids"/g)).toHaveLength(3);
      const reportForm = html.slice(html.indexOf('data-testid="alerts-add-report"'));
      expect(reportForm).not.toContain('value="1"');
      expect(reportForm).toContain(`<option value="2">Team &lt;Slack&gt; (Slack)</option>`);
    }
    expect(ALERTS_STRINGS.uk.title).toBe("Сповіщення");
  });

  it("reads filters written as in a dashboard link", () => {
    expect(parseFilterText("?utm_source=google&not_country=UA&not_country=PL")).toEqual({ utm_source: "google", not_country: ["UA", "PL"] });
    expect(parseFilterText("  ")).toEqual({});
  });
});
