import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { config } from "@/lib/config";
import { trackerSnippet } from "@/lib/tracker/snippet";
import { getRawStats } from "@/lib/analytics/general-stats";
import { NavLink } from "../client/Pending";
import { CopyButton } from "../client/CopyButton";
import type { DashboardContext } from "../context";
import { dashboardHref } from "../search-params";
import { TAB_GROUPS, type TabGroup, type TabOf } from "../tabs";
import { db } from "./shared";

/** The tab strip of a tabbed card: plain links (the tab is in the URL), navigated in the dashboard's transition. */
export function TabNav<G extends TabGroup>({ ctx, group, active }: { ctx: DashboardContext; group: G; active: TabOf<G> }) {
  const s = ctx.i18n.t.dash;
  const { param, tabs } = TAB_GROUPS[group];
  return (
    <nav aria-label={s.cards[group]} className="-mx-1 mb-3 flex gap-1 overflow-x-auto px-1 pb-1" data-tabs={group}>
      {(tabs as readonly TabOf<G>[]).map((tab) => {
        const on = tab === active;
        return (
          <NavLink
            key={tab}
            href={dashboardHref(ctx.basePath, ctx.params, { [param]: tab })}
            aria-current={on ? "true" : undefined}
            data-tab={tab}
            className={`shrink-0 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 data-[nav-pending]:animate-pulse ${on ? "bg-indigo-600 text-white shadow-sm" : "bg-slate-100 text-slate-600 hover:bg-slate-200"}`}
          >
            {s.tabs[tab]}
          </NavLink>
        );
      })}
    </nav>
  );
}

/**
 * Empty states (issue 12): with no session at all, the tracker snippet and a link to tracker
 * health; with sessions but none in the range, says so and offers "All time". Nothing otherwise.
 */
export async function EmptyNotice({ ctx }: { ctx: DashboardContext }) {
  const s = ctx.i18n.t.dash;
  let state: "none" | "range" | null = null;
  try {
    const handle = await db();
    if ((await getRawStats(handle, ctx.q)).sessions === 0) {
      const any = (await rows<{ any: boolean }>(handle, sql`select exists(select 1 from sessions) as any`))[0]?.any ?? false;
      state = any ? "range" : "none";
    }
  } catch {
    // The blocks below show their own errors.
  }
  if (state === null) return null;
  if (state === "none") {
    const snippet = trackerSnippet(config().appUrl);
    return (
      <section data-empty="no-sessions" className="rounded-xl border border-indigo-200 bg-indigo-50/60 p-4 text-sm text-slate-700 sm:p-5">
        <p className="font-medium text-slate-800">{s.emptyNoSessions}</p>
        <pre className="mt-3 overflow-x-auto rounded-lg bg-slate-900 p-3 text-xs leading-relaxed text-slate-100" data-snippet>
          <code>{snippet}</code>
        </pre>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <CopyButton text={snippet} label={ctx.i18n.t.tools.copy} done={ctx.i18n.t.tools.copied} />
          {ctx.readOnly ? null : (
            <a href="/settings#tracker" className="font-medium text-indigo-700 hover:underline">
              {s.trackerHealth} →
            </a>
          )}
        </div>
      </section>
    );
  }
  return (
    <p data-empty="range" className="flex flex-wrap items-center gap-3 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
      {s.emptyRange}
      {ctx.readOnly ? null : (
        <NavLink href={dashboardHref(ctx.basePath, ctx.params, { period: "all" })} scope="all" className="font-medium text-indigo-700 underline">
          {s.showAllTime}
        </NavLink>
      )}
    </p>
  );
}
