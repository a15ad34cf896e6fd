import { PIXEL_CORE_JS } from "./shopify-pixel-built";

/**
 * The Shopify "custom pixel" (SPEC 17.1) a merchant pastes in Shopify admin › Settings › Customer
 * events › Add custom pixel, pre-filled with this app's URL. It is the app's Web Pixel extension's
 * own code (integrations/shopify/extensions/utm-dispatcher-pixel/src/pixel.ts, built into
 * shopify-pixel-built.ts by `npm run build:tracker`), started with the globals Shopify gives a
 * custom pixel (`analytics`, `browser`, `init`) instead of `register`'s arguments.
 * docs/integrations/shopify-pixel.md explains both installs.
 */
export function customPixelCode(appUrl: string): string {
  const base = appUrl.trim().replace(/\/+$/, "");
  // It goes into a comment and a string literal of code the merchant runs: an http(s) URL only.
  if (!/^https?:\/\/[^\s"'\\<>`]+$/.test(base)) throw new Error("customPixelCode: appUrl must be an http(s) URL");
  return [
    `// UTM Dispatcher pixel: sends Shopify's customer events to ${base}/api/collect`,
    "// (page views, product views, add to cart, checkout, purchase with the order id).",
    PIXEL_CORE_JS,
    `utmdPixel.startPixel({ analytics, browser, init }, utmdPixel.collectEndpoint(${JSON.stringify(base)}));`,
    "",
  ].join("\n");
}
