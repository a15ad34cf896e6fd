import { config } from "@/lib/config";
import { forgetGoogleToken, googleAccessToken } from "./google-token";
import type { OrderFacts } from "./order-facts";
import { byStatus, jsonOf } from "./outcome";
import { pick, type Platform } from "./platform";

/**
 * Google Ads through the Data Manager API (developers.google.com/data-manager › events.ingest):
 * `POST {GOOGLE_DATAMANAGER_URL}/events:ingest` with `Authorization: Bearer <OAuth token of the
 * service account>`. Body: `destinations` (operatingAccount GOOGLE_ADS + the customer id,
 * `productDestinationId` = the conversion action id, `loginAccount` for a manager account),
 * `encoding` HEX, `events`. Per event: `transactionId` = the order id (Google's dedup key),
 * `eventTimestamp` RFC 3339, `conversionValue`, `currency`, `eventSource` WEB, `adIdentifiers`
 * (`gclid`, `gbraid`, `wbraid`), `userData.userIdentifiers` (`emailAddress`: SHA-256 hex of the
 * trimmed lower-case e-mail) and `consent` in Consent Mode v2 terms (`adUserData`,
 * `adPersonalization`: CONSENT_GRANTED / CONSENT_DENIED). The phone is not sent: Google hashes
 * E.164 with its `+`, orders keep the digits-only hash. The test event uses `validateOnly`.
 */

const state = (v: string | undefined) => (v === "granted" ? "CONSENT_GRANTED" : v === "denied" ? "CONSENT_DENIED" : undefined);

export function googleEvent(f: OrderFacts): Record<string, unknown> {
  const event: Record<string, unknown> = {
    transactionId: f.order_id,
    eventTimestamp: f.placed_at.toISOString(),
    conversionValue: f.value,
    currency: f.currency,
    eventSource: "WEB",
  };
  const ads = pick(f.click_ids, ["gclid", "gbraid", "wbraid"]);
  if (Object.keys(ads).length) event.adIdentifiers = ads;
  if (f.email_sha256) event.userData = { userIdentifiers: [{ emailAddress: f.email_sha256 }] };
  const consent: Record<string, string> = {};
  const u = state(f.consent?.ad_user_data);
  const p = state(f.consent?.ad_personalization);
  if (u) consent.adUserData = u;
  if (p) consent.adPersonalization = p;
  if (Object.keys(consent).length) event.consent = consent;
  return event;
}

export const google: Platform = {
  maxBatch: 2000,
  async build(dest, events, opts) {
    const token = await googleAccessToken(dest.secret, opts.timeoutMs);
    const destination: Record<string, unknown> = {
      operatingAccount: { accountType: "GOOGLE_ADS", accountId: dest.settings.customer_id },
      productDestinationId: dest.settings.conversion_action,
    };
    if (dest.settings.login_customer_id) destination.loginAccount = { accountType: "GOOGLE_ADS", accountId: dest.settings.login_customer_id };
    const body: Record<string, unknown> = { destinations: [destination], encoding: "HEX", events: events.map(googleEvent) };
    if (opts.test) body.validateOnly = true;
    return {
      url: `${config().forwarding.googleDataManagerUrl}/events:ingest`,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    };
  },
  classify(status, text) {
    const err = jsonOf(text)?.error as { message?: unknown; status?: unknown } | undefined;
    const message = `Google HTTP ${status}${err && typeof err.status === "string" ? ` ${err.status}` : ""}${err && typeof err.message === "string" ? `: ${err.message}` : ""}`;
    // 401: the cached OAuth token was refused; a new one is fetched next time (onUnauthorized).
    if (status === 401) return { kind: "transient", status, message };
    return byStatus(status, message);
  },
  onUnauthorized(dest) {
    forgetGoogleToken(dest.secret);
  },
};
