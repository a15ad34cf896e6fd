import { createHash } from "node:crypto";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { badRequest, unauthorized, unavailable } from "@/lib/errors";
import { decodeUtf8, readBodyBytes } from "@/lib/http/body";
import { withGuard } from "@/lib/http/guard";
import { signatureMatches } from "@/lib/integrations/signature";
import { receiveWooWebhook } from "@/lib/integrations/woocommerce/webhooks";

/**
 * SPEC 17.2: WooCommerce webhooks. The caller is proven by `X-WC-Webhook-Signature`, the base64
 * HMAC-SHA256 of the raw body with WOO_WEBHOOK_SECRET, checked before anything is parsed or
 * stored. The ping WooCommerce sends when a webhook is saved (unsigned form body `webhook_id=N`)
 * is answered 200 and stores nothing. Unset secret → 503; over the size limit → 413; wrong or
 * missing signature → 401. A verified delivery is answered 200 whatever it carried (stored,
 * ignored, duplicate, or failed with the reason, logged): WooCommerce does not resend a failed
 * delivery, it counts non-2xx answers and disables the webhook after 5 in a row. Only a database
 * that cannot be reached answers 503.
 */

export const dynamic = "force-dynamic";

const MAX_WOO_WEBHOOK_BYTES = 2 * 1024 * 1024;
const PING = /^webhook_id=\d{1,20}$/;

export const POST = withGuard({ public: true }, async (req) => {
  const cfg = config();
  if (!cfg.wooWebhookSecret) throw unavailable("WooCommerce webhooks are not configured: set WOO_WEBHOOK_SECRET");
  const raw = await readBodyBytes(req, MAX_WOO_WEBHOOK_BYTES);
  const text = decodeUtf8(raw);
  if (raw.byteLength <= 40 && PING.test(text.trim())) return Response.json({ ok: true, ping: true });
  if (!signatureMatches(raw, req.headers.get("x-wc-webhook-signature"), cfg.wooWebhookSecret)) {
    throw unauthorized("Invalid or missing X-WC-Webhook-Signature");
  }
  const topic = (req.headers.get("x-wc-webhook-topic") ?? "").trim();
  const delivery = (req.headers.get("x-wc-webhook-delivery-id") ?? "").trim();
  const issues = [
    ...(topic && topic.length <= 100 ? [] : [{ path: "X-WC-Webhook-Topic", message: "is required (at most 100 characters)" }]),
    ...(/^[\w.:-]{1,128}$/.test(delivery) ? [] : [{ path: "X-WC-Webhook-Delivery-ID", message: "is required (at most 128 letters, digits or _.:-)" }]),
  ];
  if (issues.length) throw badRequest("Missing WooCommerce webhook headers", issues);
  // WooCommerce makes the delivery id from the webhook id and the current second
  // (WC_Webhook::get_new_delivery_id), so two different orders sent by one webhook within a second
  // share it: the body's digest joins it, and only a replay of the same bytes is a duplicate.
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 16);
  let shop: string | null = null;
  try {
    shop = new URL(req.headers.get("x-wc-webhook-source") ?? "").host.slice(0, 255) || null;
  } catch {
    shop = null;
  }
  return Response.json(await receiveWooWebhook(await getDb(), { deliveryId: `${delivery}:${digest}`, topic, shop }, text));
});
