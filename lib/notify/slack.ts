import { postJson } from "./post";

/**
 * Slack incoming webhook (docs.slack.dev "Incoming webhooks"): POST the full webhook URL with a JSON
 * `{"text": ...}` body; Slack answers 200 `ok`. `mrkdwn` is Slack's default for `text`, so the
 * characters it treats as markup (& < >) are escaped as its docs ask.
 */

export const escapeSlack = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export async function sendSlack(webhookUrl: string, text: string, signal: AbortSignal): Promise<string> {
  await postJson(webhookUrl, JSON.stringify({ text: escapeSlack(text) }), signal);
  return "slack";
}
