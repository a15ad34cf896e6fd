import { createHash } from "node:crypto";
import { config } from "@/lib/config";
import type { OrderFacts } from "./order-facts";
import { byStatus, jsonOf } from "./outcome";
import type { Platform } from "./platform";

/**
 * TikTok Events API 2.0 (business-api.tiktok.com/open_api/v1.3/event/track/): header
 * `Access-Token`, body `{event_source: "web", event_source_id: <pixel code>, data: [...]}`. Per
 * event: `event` CompletePayment, `event_time` in Unix seconds, `event_id` = the order id (TikTok
 * deduplicates it against the pixel's event), `user` (`email`: SHA-256 of the trimmed lower-case
 * e-mail; `external_id` hashed; `ttclid`; `user_agent` when the consented session kept it),
 * `properties` (`value`, `currency`, `order_id`, `content_type`), `page` (`url`, `referrer`).
 * The phone is not sent: TikTok hashes E.164 with its `+`, orders keep the digits-only hash
 * (Meta's form), and a hash of another form would never match. TikTok answers HTTP 200 with a
 * `code` in the body: 0 is accepted; 40100 (too many requests) and 5xxxx are transient.
 */

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

export function tiktokEvent(f: OrderFacts): Record<string, unknown> {
  const user: Record<string, unknown> = { external_id: sha256(f.customer_id) };
  if (f.email_sha256) user.email = f.email_sha256;
  if (f.click_ids.ttclid) user.ttclid = f.click_ids.ttclid;
  if (f.consent?.user_agent) user.user_agent = f.consent.user_agent;
  const page: Record<string, string> = {};
  if (f.page_url) page.url = f.page_url;
  if (f.referrer) page.referrer = f.referrer;
  return {
    event: "CompletePayment",
    event_time: Math.floor(f.placed_at.getTime() / 1000),
    event_id: f.order_id,
    user,
    properties: { value: f.value, currency: f.currency, order_id: f.order_id, content_type: "product" },
    ...(Object.keys(page).length ? { page } : {}),
  };
}

export const tiktok: Platform = {
  maxBatch: 1000,
  async build(dest, events, opts) {
    const body: Record<string, unknown> = { event_source: "web", event_source_id: dest.settings.pixel_code, data: events.map(tiktokEvent) };
    if (opts.test && dest.settings.test_event_code) body.test_event_code = dest.settings.test_event_code;
    return {
      url: `${config().forwarding.tiktokApiUrl}/event/track/`,
      headers: { "content-type": "application/json", "Access-Token": dest.secret },
      body: JSON.stringify(body),
    };
  },
  classify(status, text) {
    const body = jsonOf(text);
    const code = typeof body?.code === "number" ? body.code : undefined;
    const message = `TikTok HTTP ${status}${code !== undefined ? ` code ${code}` : ""}${typeof body?.message === "string" ? `: ${body.message}` : ""}`;
    if (status < 200 || status >= 300) return byStatus(status, message);
    if (code === 0) return { kind: "ok" };
    if (code === undefined || code === 40100 || code >= 50000) return { kind: "transient", status, message };
    return { kind: "permanent", status, message };
  },
};
