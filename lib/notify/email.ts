import type { Db } from "@/lib/db/client";
import { deliver } from "@/lib/reports/deliver";
import { deliverySettings } from "@/lib/reports/report-settings";
import { NotifyError } from "./post";

/**
 * E-mail through the report's delivery (SPEC 7: Resend when a key is set, else `.data/outbox/`),
 * the same sender and key. The Resend SDK takes no AbortSignal, so the deadline is raced: a late
 * answer is abandoned and the outbox row retried (Resend's idempotency is per request, so a retry
 * after a timeout can, rarely, deliver twice; a lost alert would be worse).
 */

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function textToHtml(subject: string, text: string): string {
  const lines = text.split("\n").map((l) => escapeHtml(l)).join("<br>\n");
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px"><h2 style="font-size:16px">${escapeHtml(subject)}</h2><p>${lines}</p></body></html>`;
}

export async function sendEmail(db: Db, to: string, subject: string, text: string, signal: AbortSignal): Promise<string> {
  const settings = await deliverySettings(db);
  const target = settings.apiKey ? { kind: "resend" as const, apiKey: settings.apiKey, baseUrl: settings.baseUrl } : { kind: "outbox" as const };
  const sending = deliver({ from: settings.from, to, subject, html: textToHtml(subject, text), text, attachments: [] }, target, "alert");
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
