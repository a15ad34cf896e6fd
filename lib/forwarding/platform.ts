import type { DestinationConfig } from "./destinations";
import type { OrderFacts } from "./order-facts";
import type { Outcome } from "./outcome";

/** One HTTP request to a platform: built from a batch of orders, answered as an Outcome. */
export type PlatformRequest = { url: string; headers: Record<string, string>; body: string };

export type BuildOptions = {
  /** The settings page's "send a test event": Meta/TikTok test_event_code, Google validateOnly. */
  test?: boolean;
  timeoutMs: number;
};

export type Platform = {
  /** Most events one request may carry (each platform's documented limit, or less). */
  maxBatch: number;
  build: (dest: DestinationConfig, events: readonly OrderFacts[], opts: BuildOptions) => Promise<PlatformRequest>;
  classify: (status: number, body: string) => Outcome;
  /** Called after a 401, so the next try fetches a new credential (Google's cached OAuth token). */
  onUnauthorized?: (dest: DestinationConfig) => void;
};

/** Only the click ids that are present. */
export function pick(ids: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (typeof ids[n] === "string" && ids[n]) out[n] = ids[n];
  return out;
}
