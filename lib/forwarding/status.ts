import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { DESTINATIONS, listDestinations, loadDestinations, type Destination, type DestinationView } from "./destinations";
import { outboxCounts, type DestinationCounts } from "./outbox";

/** SPEC 19: per destination, its settings (secret as a hint only) and queued / sent / failed / the last error. */
export type DestinationStatus = Omit<DestinationCounts, "destination"> & {
  destination: Destination;
  configured: boolean;
  enabled: boolean;
  settings: Record<string, string>;
  secret_hint: string | null;
  /** The stored secret cannot be opened (AUTH_SECRET changed): save it again. */
  secret_unreadable: boolean;
};

export type ForwardingStatus = { require_consent: boolean; destinations: DestinationStatus[] };

export async function forwardingStatus(db: Db): Promise<ForwardingStatus> {
  const [views, counts, loaded] = await Promise.all([listDestinations(db), outboxCounts(db), loadDestinations(db)]);
  const byDest = new Map<string, DestinationView>(views.map((v) => [v.destination, v]));
  const countsOf = new Map(counts.map((c) => [c.destination, c]));
  return {
    require_consent: config().forwarding.requireConsent,
    destinations: DESTINATIONS.map((d) => {
      const v = byDest.get(d);
      const c = countsOf.get(d);
      return {
        destination: d,
        configured: v !== undefined,
        enabled: v?.enabled ?? false,
        settings: v?.settings ?? {},
        secret_hint: v?.secret_hint ?? null,
        secret_unreadable: loaded.unopened.includes(d),
        queued: c?.queued ?? 0,
        sending: c?.sending ?? 0,
        sent: c?.sent ?? 0,
        failed: c?.failed ?? 0,
        skipped: c?.skipped ?? 0,
        last_error: c?.last_error ?? null,
        last_error_at: c?.last_error_at ?? null,
        last_sent_at: c?.last_sent_at ?? null,
      };
    }),
  };
}
