/**
 * The app's Web Pixel extension (SPEC 17.1). Shopify loads it in its strict sandbox with the
 * merchant's settings (shopify.extension.toml: appUrl, this UTM Dispatcher's base URL, set with the
 * webPixelCreate mutation). The pixel itself is ./pixel.ts, the same code as the custom pixel.
 */
import { register } from "@shopify/web-pixels-extension";
import { collectEndpoint, startPixel } from "./pixel";

register(({ analytics, browser, init, settings }) => {
  const endpoint = collectEndpoint(settings.appUrl);
  if (endpoint) startPixel({ analytics, browser, init }, endpoint);
});
