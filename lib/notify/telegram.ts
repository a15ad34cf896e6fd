import { config } from "@/lib/config";
import { NotifyError, postJson } from "./post";

/**
 * Telegram Bot API sendMessage (core.telegram.org/bots/api#sendmessage): POST
 * `{TELEGRAM_API_URL}/bot<token>/sendMessage` with JSON `{chat_id, text}`; the answer is
 * `{"ok": true, "result": Message}`. Plain text (no parse_mode), so nothing needs escaping; a text is
 * at most 4096 characters.
 */

export const TELEGRAM_MAX_TEXT = 4096;

export async function sendTelegram(botToken: string, chatId: string, text: string, signal: AbortSignal): Promise<string> {
  const url = `${config().telegramApiUrl}/bot${encodeURIComponent(botToken)}/sendMessage`;
  const body = JSON.stringify({ chat_id: chatId, text: [...text].slice(0, TELEGRAM_MAX_TEXT).join(""), disable_web_page_preview: true });
  const answer = await postJson(url, body, signal);
  let parsed: { ok?: unknown; result?: { message_id?: unknown } };
  try {
    parsed = JSON.parse(answer) as typeof parsed;
  } catch {
    throw new NotifyError("telegram: the answer is not JSON");
  }
  if (parsed.ok !== true) throw new NotifyError("telegram: the answer is not ok");
  return `telegram:${String(parsed.result?.message_id ?? "")}`;
}
