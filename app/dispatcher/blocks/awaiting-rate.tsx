import { getAwaitingRate } from "@/lib/ingest/rates";
import type { DashboardContext } from "../context";
import { db } from "./shared";

/**
 * SPEC 17.5: "N orders awaiting a rate (USD 120.00)" while paid orders in another currency wait
 * for their day's rate (they count in no figure until it arrives). Not on share views: it is
 * about the whole shop, not the shared selection. Nothing when none wait or the query fails.
 */
export async function AwaitingRateNotice({ ctx }: { ctx: DashboardContext }) {
  if (ctx.readOnly) return null;
  let waiting: Awaited<ReturnType<typeof getAwaitingRate>>;
  try {
    waiting = await getAwaitingRate(await db());
  } catch {
    return null; // the blocks below show their own errors
  }
  if (waiting.orders === 0) return null;
  const { fmt, t } = ctx.i18n;
  const amounts = Object.entries(waiting.by_currency)
    .map(([code, w]) => `${code} ${fmt.num(w.amount)}`)
    .join(", ");
  return (
    <p data-awaiting-rate={waiting.orders} role="status" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
      <strong>
        {fmt.plural(waiting.orders, t.dash.awaitingRate)} ({amounts})
      </strong>{" "}
      {t.dash.awaitingRateHint}
    </p>
  );
}
