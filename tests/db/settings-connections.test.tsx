import { renderToStaticMarkup } from "react-dom/server";
import { expect, it, vi } from "vitest";
import { logFailed, receiveDelivery } from "@/lib/integrations/deliveries";
import { withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";

/**
 * Settings › Connections (SPEC 17): the exact things a shop pastes (pixel code, webhook URLs,
 * which secret), pre-filled with APP_URL, and whether deliveries arrive (last one, counts by
 * topic, last error). A secret is shown to admins as its last 4 characters only.
 */

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (name === "lang" ? { name, value: "en" } : undefined) }),
  headers: async () => new Headers(),
}));
const { Connections } = await import("@/app/settings/Connections");

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ");
const testId = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</`).exec(html)?.[1];

describeDb("settings connections", (ctx) => {
  it("pre-fills URLs and the pixel with APP_URL, shows the secrets' state, and the delivery health", async () => {
    const db = ctx.handle.db;
    const meta = { platform: "shopify" as const, topic: "orders/create", shop: "demo.myshopify.com" };
    await receiveDelivery(db, { ...meta, deliveryId: "d1" }, async () => ({ outcome: "stored" }));
    await receiveDelivery(db, { ...meta, deliveryId: "d2" }, async () => ({ outcome: "stored" }));
    // d1 again: a repeat, not a second stored delivery.
    await receiveDelivery(db, { ...meta, deliveryId: "d1" }, async () => ({ outcome: "stored" }));
    await logFailed(db, { ...meta, deliveryId: "d3", topic: "refunds/create" }, "Unknown order 42");
    await withConfig({ APP_URL: "https://stats.shop.example", SHOPIFY_WEBHOOK_SECRET: "shpss_0123456789abcd", WOO_WEBHOOK_SECRET: undefined }, async () => {
      const admin = renderToStaticMarkup(await Connections({ admin: true }));
      expect(testId(admin, "shopify-webhook-url")).toBe("https://stats.shop.example/api/integrations/shopify/webhooks");
      expect(testId(admin, "woo-webhook-url")).toBe("https://stats.shop.example/api/integrations/woocommerce/webhooks");
      expect(text(testId(admin, "shopify-pixel-code") ?? "")).toContain('utmdPixel.collectEndpoint("https://stats.shop.example")');
      expect(testId(admin, "secret-SHOPIFY_WEBHOOK_SECRET")).toBe("set (…abcd)");
      expect(testId(admin, "secret-WOO_WEBHOOK_SECRET")).toBe("not set: set WOO_WEBHOOK_SECRET, until then webhooks are answered 503");
      expect(admin).not.toContain("shpss_0123456789abcd");
      const health = text(admin.slice(admin.indexOf('data-testid="health-shopify"')));
      // orders/create: d1 + d2 stored, 1 repeat of d1; refunds/create: d3 failed.
      expect(health).toContain("orders/create 2 stored · 1 repeats");
      expect(health).toContain("refunds/create 1 failed");
      expect(health).toContain("Unknown order 42");
      const viewer = renderToStaticMarkup(await Connections({ admin: false }));
      expect(testId(viewer, "secret-SHOPIFY_WEBHOOK_SECRET")).toBe("set");
      expect(viewer).not.toContain("abcd)");
    });
  });
});
