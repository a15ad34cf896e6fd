import { createElement } from "react";
import { render } from "@react-email/render";
import { formatter } from "@/emails/format";
import { reportStrings, type ReportLang } from "@/emails/strings";
import { UtmReportEmail } from "@/emails/utm-report";
import { reportAttachments, type Attachment } from "./csv";
import { renderText } from "./render-text";
import type { ReportData } from "./types";

/** One report data object → the message in one language: subject, HTML, text, CSV attachments. */

export type RenderedReport = { lang: ReportLang; subject: string; html: string; text: string; attachments: Attachment[] };

export async function renderReport(data: ReportData, lang: ReportLang): Promise<RenderedReport> {
  const t = reportStrings(lang);
  const f = formatter(lang, data.currency);
  const html = await render(createElement(UtmReportEmail, { data, lang }));
  return {
    lang,
    subject: t.subject(t.periodName[data.period], f.range(data.range)),
    html,
    text: renderText(data, lang),
    attachments: reportAttachments(data),
  };
}
