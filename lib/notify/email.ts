import { createElement } from "react";
import { render } from "@react-email/render";
import { AlertEmail } from "@/emails/alert";
import type { Db } from "@/lib/db/client";
import { deliver } from "@/lib/reports/deliver";
import { deliverySettings } from "@/lib/reports/report-settings";
import { NotifyError } from "./post";

/**
 * E-mail through the report's delivery (SPEC 7: Resend when a key is set, else `.data/outbox/`),
 * the same sender and key; the HTML is a React Email template (emails/alert.tsx) like the report's.
 * The Resend SDK takes no AbortSignal, so the deadline is raced: a late answer is abandoned and the outbox row retried (Resend's idempotency is per request, so a retry
 * after a timeout can, rarely, deliver twice; a lost alert would be worse).
 */

export async function sendEmail(db: Db, to: string, subject: string, text: string, signal: AbortSignal): Promise<string> {
  const settings = await deliverySettings(db);
  const target = settings.apiKey ? { kind: "resend" as const, apiKey: settings.apiKey, baseUrl: settings.baseUrl } : { kind: "outbox" as const };
  const html = await render(createElement(AlertEmail, { subject, text }));
  const sending = deliver({ from: settings.from, to, subject, html, text, attachments: [] }, target, "alert");
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new NotifyError("e-mail: timed out"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  try {
    const res = await Promise.race([sending, aborted]);
    return `${res.transport}:${res.id}`;
  } catch (err) {
    if (err instanceof NotifyError) throw err;
    throw new NotifyError(`e-mail: ${err instanceof Error ? err.message : String(err)}`);
  }
}
