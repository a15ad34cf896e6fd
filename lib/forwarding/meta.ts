import { createHash } from "node:crypto";
import { config } from "@/lib/config";
import type { OrderFacts } from "./order-facts";
import { byStatus, jsonOf } from "./outcome";
import type { Platform } from "./platform";

/**
 * Meta Conversions API (developers.facebook.com › Conversions API › Parameters):
 * `POST {META_GRAPH_URL}/{pixel_id}/events` with `data` (server events) and `access_token` in the
 * JSON body (not the URL, so no proxy or access log sees it). Per event: `event_name` Purchase,
 * `event_time` in Unix seconds, `event_id` = the order id (Meta deduplicates it against the pixel's
 * Purchase with the same id), `action_source` website, `event_source_url`, `user_data` (`em`, `ph`:
 * SHA-256 of the trimmed lower-case e-mail and of the phone as digits with country code, exactly
 * the form orders store; `external_id` hashed; `fbc` = `fb.1.<creation time ms>.<fbclid>` with the
 * time the fbclid was first seen; `client_user_agent` when the consented session kept it) and
 * `custom_data` (`value`, `currency`, `order_id`). Up to 1,000 events a request (Meta's limit).
 */

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

export function metaEvent(f: OrderFacts): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  if (f.email_sha256) user.em = [f.email_sha256];
  if (f.phone_sha256) user.ph = [f.phone_sha256];
  user.external_id = [sha256(f.customer_id)];
  const fbclid = f.click_ids.fbclid;
  if (fbclid) user.fbc = `fb.1.${(f.clicked_at ?? f.placed_at).getTime()}.${fbclid}`;
  if (f.click_ids._fbp) user.fbp = f.click_ids._fbp;
  const ua = f.consent?.user_agent;
  if (ua) user.client_user_agent = ua;
  return {
    event_name: "Purchase",
    event_time: Math.floor(f.placed_at.getTime() / 1000),
    event_id: f.order_id,
    action_source: "website",
    ...(f.page_url ? { event_source_url: f.page_url } : {}),
    user_data: user,
    custom_data: { value: f.value, currency: f.currency, order_id: f.order_id },
  };
}

/** Meta's error codes that mean "later": rate limits and temporary failures (is_transient says so too). */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80004]);

export const meta: Platform = {
  maxBatch: 1000,
  async build(dest, events, opts) {
    const body: Record<string, unknown> = { data: events.map(metaEvent), access_token: dest.secret };
    if (opts.test && dest.settings.test_event_code) body.test_event_code = dest.settings.test_event_code;
    return {
      url: `${config().forwarding.metaGraphUrl}/${encodeURIComponent(dest.settings.pixel_id)}/events`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    };
  },
  classify(status, text) {
    const err = jsonOf(text)?.error as { message?: unknown; code?: unknown; is_transient?: unknown; error_user_msg?: unknown } | undefined;
    const message = `Meta HTTP ${status}${err && typeof err.message === "string" ? `: ${err.message}` : ""}${err && typeof err.code === "number" ? ` (code ${err.code})` : ""}`;
    const outcome = byStatus(status, message);
    if (outcome.kind === "permanent" && err && (err.is_transient === true || (typeof err.code === "number" && TRANSIENT_CODES.has(err.code)))) {
      return { ...outcome, kind: "transient" };
    }
    return outcome;
  },
};
