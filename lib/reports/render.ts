import { createElement } from "react";
import { render } from "@react-email/render";
import { UtmReportEmail } from "@/emails/utm-report";
import { fill, i18nFor, type Locale } from "@/lib/i18n";
import { reportAttachments, type Attachment } from "./csv";
import { renderText } from "./render-text";
import type { ReportData } from "./types";

/** One report data object → the message in one language: subject, HTML, text, CSV attachments. */

export type RenderedReport = { lang: Locale; subject: string; html: string; text: string; attachments: Attachment[] };

export async function renderReport(data: ReportData, lang: Locale): Promise<RenderedReport> {
  const { t, fmt: f } = i18nFor(lang, data.currency, data.tz);
  const html = await render(createElement(UtmReportEmail, { data, lang }));
  return {
    lang,
    subject: fill(t.report.subject, { period: t.report.periodName[data.period], range: f.range(data.range) }),
    html,
    text: renderText(data, lang),
    attachments: reportAttachments(data),
  };
}
