import { describe, expect, it } from "vitest";
import { throttleWaitMs } from "@/lib/integrations/shopify/backfill";
import { absoluteLanding, mapShopifyOrder, shopifyOrderSchema, shopifyStatus } from "@/lib/integrations/shopify/order";
import { signatureMatches, hmacBase64 } from "@/lib/integrations/signature";
import { parseWebhookJson } from "@/lib/integrations/webhook-json";
import { wooGmt, wooStatus } from "@/lib/integrations/woocommerce/order";

describe("shop mappings (pure)", () => {
  it("Shopify financial_status / cancelled_at → status (SPEC 17.1)", () => {
    const table = ["paid", "partially_paid", "partially_refunded", "pending", "authorized", "refunded", "voided", "expired", "something_new"].map((s) => [s, shopifyStatus(s, undefined)]);
    expect(table).toEqual([
      ["paid", "paid"],
      ["partially_paid", "paid"],
      ["partially_refunded", "paid"],
      ["pending", "pending"],
      ["authorized", "pending"],
      ["refunded", "refunded"],
      ["voided", "refunded"],
      ["expired", "cancelled"],
      ["something_new", "pending"],
    ]);
    expect(shopifyStatus("paid", "2026-03-11T09:00:00-05:00")).toBe("cancelled");
    expect(shopifyStatus("PAID", undefined)).toBe("paid");
  });

  it("WooCommerce status → status and date_*_gmt as UTC (SPEC 17.2)", () => {
    expect(["processing", "completed", "pending", "on-hold", "cancelled", "failed", "refunded", "checkout-draft"].map(wooStatus)).toEqual([
      "paid", "paid", "pending", "pending", "cancelled", "cancelled", "refunded", "pending",
    ]);
    expect(wooGmt("2026-03-10T09:58:12")).toBe("2026-03-10T09:58:12Z");
    expect(wooGmt("2026-03-10T09:58:12+00:00")).toBe("2026-03-10T09:58:12+00:00");
  });

  it("ids beyond 2^53 stay exact; amounts are read from their text", () => {
    const parsed = parseWebhookJson('{"id": 820982911946154508, "n": 1.10, "s": "199.00"}');
    expect(parsed).toEqual({ id: "820982911946154508", n: "1.10", s: "199.00" });
    expect(String(JSON.parse('{"id": 820982911946154508}').id)).toBe("820982911946154500");
    expect(() => parseWebhookJson('{"a": 1, "a": 2}')).toThrow("The body is not valid JSON");
    expect(Object.getPrototypeOf(parseWebhookJson('{"__proto__": {"x": 1}}'))).toBe(Object.prototype);
  });

  it("a line-item refund that lowered current_total_price is added back to the total", () => {
    const order = shopifyOrderSchema.parse(
      parseWebhookJson(`{"id": 1, "created_at": "2026-03-01T00:00:00Z", "currency": "usd", "current_total_price": "10.00",
        "financial_status": "refunded",
        "refunds": [{"id": 7, "order_id": 1, "created_at": "2026-03-02T00:00:00Z",
          "refund_line_items": [{"quantity": 2, "subtotal": 388.00, "total_tax": "0.00"}],
          "transactions": [{"amount": "398.00", "kind": "refund", "status": "success"}, {"amount": "5.00", "kind": "refund", "status": "failure"}]}]}`),
    );
    const m = mapShopifyOrder(order, "s.myshopify.com");
    // 10.00 still in current_total_price (shipping) + 388.00 refunded lines + 0.00 tax = 398; the failed transaction does not count.
    expect([m.total, m.currency, m.status, m.refunds]).toEqual([398, "USD", "refunded", [{ refund_id: "7", amount: 398, refunded_at: "2026-03-02T00:00:00Z" }]]);
    expect(absoluteLanding("/a?b=1", "s.myshopify.com")).toBe("https://s.myshopify.com/a?b=1");
    expect(absoluteLanding("https://x.example/", null)).toBe("https://x.example/");
    expect(absoluteLanding("", "s.myshopify.com")).toBeUndefined();
  });

  it("signatures: the base64 HMAC-SHA256 of the exact bytes", () => {
    const body = new TextEncoder().encode('{"id":1}');
    // echo -n '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(hmacBase64(body, "secret")).toBe("A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=");
    expect(signatureMatches(body, "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=", "secret")).toBe(true);
    expect(signatureMatches(body, "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=", "Secret")).toBe(false);
    expect(signatureMatches(body, "A971iWIM", "secret")).toBe(false);
    expect(signatureMatches(body, null, "secret")).toBe(false);
  });

  it("throttle wait: (needed − available) / restoreRate seconds", () => {
    expect(throttleWaitMs({ requestedQueryCost: 502, throttleStatus: { currentlyAvailable: 2, restoreRate: 100 } })).toBe(5000);
    expect(throttleWaitMs({ requestedQueryCost: 502, throttleStatus: { currentlyAvailable: 1988, restoreRate: 100 } })).toBe(0);
    expect(throttleWaitMs(undefined)).toBe(0);
  });
});
