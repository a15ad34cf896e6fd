/**
 * The one outgoing POST of the notification channels: a deadline on every call (AbortSignal), the
 * answer's body read only far enough to say why it failed, and every failure as a NotifyError so
 * the outbox records it and retries. A channel never throws anything else.
 */

export class NotifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotifyError";
  }
}

const MAX_ERROR_BODY = 300;

export async function postJson(url: string, body: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, signal, redirect: "error" });
  } catch (err) {
    const reason = signal.aborted ? "timed out" : err instanceof Error ? err.message : String(err);
    throw new NotifyError(`${new URL(url).host}: ${reason}`);
  }
  let text = "";
  try {
    text = await res.text();
  } catch {
    // a body cut off by the deadline still leaves the status to judge by
  }
  if (!res.ok) throw new NotifyError(`${new URL(url).host}: HTTP ${res.status} ${text.slice(0, MAX_ERROR_BODY)}`.trim());
  return text;
}
