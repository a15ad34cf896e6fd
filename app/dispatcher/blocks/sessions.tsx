import Link from "next/link";
import { decodeCursor, getSessionsList, type SessionItem, type SessionsPage } from "@/lib/analytics/sessions-list";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { dashboardHref, searchParamsOf } from "../search-params";
import { db, flag, orError } from "./shared";

/** Recent sessions, newest first, keyset-paged through the `cursor` URL parameter. */

const PAGE = 20;

function Badge({ children, tone }: { children: React.ReactNode; tone: string }) {
  return <span className={`rounded-full px-1.5 py-0.5 text-[10px] font-medium uppercase ${tone}`}>{children}</span>;
}

export function SessionsView({
  data,
  t,
  fmt,
  detailHref,
  nextHref,
}: {
  data: SessionsPage;
  t: Dict;
  fmt: Formatters;
  detailHref?: (s: SessionItem) => string;
  nextHref?: string;
}) {
  if (data.items.length === 0) return <Empty text={t.noData} />;
  return (
    <div>
      <ul className="divide-y divide-slate-100">
        {data.items.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm" data-session={s.id}>
            <span className="w-36 shrink-0 tabular-nums text-slate-500">{fmt.dateTime(s.started_at)}</span>
            {/* Phones: the source line takes its own row and wraps instead of being cut to "g…". */}
            <span className="order-first min-w-0 basis-full break-words sm:order-none sm:basis-0 sm:flex-1 sm:truncate">
              <span className="font-medium text-slate-800">{s.utm_source}</span>
              <span className="text-slate-400"> / {s.utm_medium}</span>
              {s.utm_campaign !== "(none)" ? <span className="text-slate-500"> · {s.utm_campaign}</span> : null}
            </span>
            <span className="text-slate-500" title={fmt.country(s.country)}>
              {flag(s.country)} {fmt.device(s.device)} · {s.browser}
            </span>
            <span className="tabular-nums text-slate-500">{fmt.plural(s.page_views, t.tools.pageViews)}</span>
            {s.is_returning ? <Badge tone="bg-violet-100 text-violet-700">{t.returningBadge}</Badge> : null}
            {s.is_converted ? <Badge tone="bg-emerald-100 text-emerald-700">{`${t.convertedBadge} · ${fmt.money(s.revenue)}`}</Badge> : null}
            {detailHref ? (
              <Link href={detailHref(s)} className="text-xs font-medium text-indigo-600 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 rounded">
                {t.details} →
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
      {nextHref ? (
        <div className="mt-3 text-right">
          <Link href={nextHref} scroll={false} className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50">
            {t.nextPage} →
          </Link>
        </div>
      ) : null}
    </div>
  );
}

export async function SessionsBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "sessions", async () => {
    const cursor = ctx.state.cursor ? decodeCursor(ctx.state.cursor) : undefined;
    return getSessionsList(await db(), ctx.q, { limit: PAGE, cursor });
  });
  return orError(r, (data) => (
    <SessionsView
      data={data}
      t={ctx.i18n.t}
      fmt={ctx.i18n.fmt}
      detailHref={ctx.readOnly ? undefined : (s) => `/dispatcher/sessions/${s.id}?${searchParamsOf(ctx.params).toString()}`}
      nextHref={data.next_cursor ? dashboardHref(ctx.basePath, ctx.params, { cursor: data.next_cursor }) : undefined}
    />
  ));
}
