import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { badRequest, forbidden, unauthorized, unavailable } from "@/lib/errors";
import { decodeUtf8, readBodyBytes } from "@/lib/http/body";
import { withGuard } from "@/lib/http/guard";
import { receiveShopifyWebhook } from "@/lib/integrations/shopify/webhooks";
import { signatureMatches } from "@/lib/integrations/signature";

/**
 * SPEC 17.1: Shopify webhooks (HTTPS delivery). No cookies and no token: the caller is proven by
 * `X-Shopify-Hmac-Sha256`, the base64 HMAC-SHA256 of the raw body with SHOPIFY_WEBHOOK_SECRET,
 * checked before anything is parsed or stored. Unset secret → 503; over the size limit → 413;
 * wrong or missing HMAC → 401; a shop outside SHOPIFY_SHOP_DOMAINS → 403. A verified delivery is
 * answered 200 whatever it carried (stored, ignored, duplicate, or failed with the reason, logged):
 * a non-2xx makes Shopify resend the same bytes for hours and then drop the subscription. Only a
 * database that cannot be reached answers 503, so that Shopify's retry delivers it later.
 */

export const dynamic = "force-dynamic";

/** An order with hundreds of line items and refunds stays far below this. */
const MAX_SHOPIFY_WEBHOOK_BYTES = 2 * 1024 * 1024;

export const POST = withGuard({ public: true }, async (req) => {
  const cfg = config();
  if (!cfg.shopifyWebhookSecret) throw unavailable("Shopify webhooks are not configured: set SHOPIFY_WEBHOOK_SECRET");
  const raw = await readBodyBytes(req, MAX_SHOPIFY_WEBHOOK_BYTES);
  if (!signatureMatches(raw, req.headers.get("x-shopify-hmac-sha256"), cfg.shopifyWebhookSecret)) {
    throw unauthorized("Invalid or missing X-Shopify-Hmac-Sha256");
  }
  const shop = (req.headers.get("x-shopify-shop-domain") ?? "").trim().toLowerCase() || null;
  if (cfg.shopifyShopDomains.length && (!shop || !cfg.shopifyShopDomains.includes(shop))) {
    throw forbidden("This shop is not in SHOPIFY_SHOP_DOMAINS");
  }
  const topic = (req.headers.get("x-shopify-topic") ?? "").trim();
  const webhookId = (req.headers.get("x-shopify-webhook-id") ?? "").trim();
  const issues = [
    ...(topic ? [] : [{ path: "X-Shopify-Topic", message: "is required" }]),
    ...(/^[\w.:-]{1,200}$/.test(webhookId) ? [] : [{ path: "X-Shopify-Webhook-Id", message: "is required (at most 200 letters, digits or _.:-)" }]),
  ];
  if (topic.length > 100) issues.push({ path: "X-Shopify-Topic", message: "must be at most 100 characters" });
  if (shop && !/^[a-z0-9][a-z0-9.-]{0,253}$/.test(shop)) issues.push({ path: "X-Shopify-Shop-Domain", message: "must be a shop domain" });
  if (issues.length) throw badRequest("Missing Shopify webhook headers", issues);
  return Response.json(await receiveShopifyWebhook(await getDb(), { webhookId, topic, shop, triggeredAt: req.headers.get("x-shopify-triggered-at") }, decodeUtf8(raw)));
});
