import { appendFilters } from "@/lib/analytics/params";
import { getRealtime, realtimeDays } from "@/lib/analytics/realtime";
import { config } from "@/lib/config";
import { RealtimeBox } from "../client/RealtimeBox";
import { load, type DashboardContext } from "../context";
import { db, orError } from "./shared";

/**
 * The realtime block (SPEC 20): the last 30 minutes with the view's filters, rendered on the
 * server and then kept fresh by the client (client/RealtimeBox.tsx polls /api/utm/realtime).
 * A shared view shows it only when its range holds today (the API answers 403 otherwise).
 */
export function showsRealtime(ctx: DashboardContext): boolean {
  return ctx.allowsRange(realtimeDays(ctx.q.now, ctx.q.tz));
}

export async function RealtimeBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "realtime", async () => getRealtime(await db(), { now: ctx.q.now, filters: ctx.q.filters }));
  const sp = appendFilters(new URLSearchParams(), ctx.q.filters);
  if (ctx.shareToken) sp.set("share", ctx.shareToken);
  const qs = sp.toString();
  return orError(r, (initial) => (
    <RealtimeBox
      initial={initial}
      href={`/api/utm/realtime${qs ? `?${qs}` : ""}`}
      s={ctx.i18n.t.watch}
      locale={ctx.i18n.locale}
      timeZone={ctx.q.tz}
      currency={config().currency}
    />
  ));
}
