import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { AppHeader } from "@/app/components/AppHeader";
import { ErrorBox } from "@/app/components/States";
import { getSessionDetail, type SessionDetail } from "@/lib/analytics/session-detail";
import { getSessionUser } from "@/lib/http/session";
import { getReadDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logError } from "@/lib/http/errors";
import { config } from "@/lib/config";
import { getI18n } from "@/lib/http/locale";
import { flag } from "../../blocks/shared";
import { searchParamsOf, type RawParams } from "../../search-params";

export const metadata: Metadata = { title: "Session · UTM Dispatcher" };
export const dynamic = "force-dynamic";

/** One session: its attributes, events in time order and attributed orders (SPEC 4 session-detail). */
export default async function SessionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<RawParams> }) {
  const [{ id }, raw, user, i18n] = await Promise.all([params, searchParams, getSessionUser(), getI18n()]);
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/dispatcher/sessions/${id}`)}`);
  const { t, fmt } = i18n;
  let s: SessionDetail | undefined;
  let failed = false;
  try {
    s = await getSessionDetail(await getReadDb(), id);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    logError("session detail failed", err);
    failed = true;
  }
  const back = `/dispatcher?${searchParamsOf(raw).toString()}`;
  const row = (label: string, value: React.ReactNode) => (
    <div className="flex flex-col gap-0.5 border-b border-slate-100 py-2 sm:flex-row sm:gap-4">
      <dt className="w-40 shrink-0 text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="min-w-0 break-all text-sm text-slate-800">{value}</dd>
    </div>
  );
  return (
    <>
      <AppHeader t={t} locale={i18n.locale} user={user} active="dashboard" />
      <main className="mx-auto max-w-4xl space-y-4 px-3 py-4 sm:px-4 sm:py-6">
        <Link href={back} className="text-sm text-indigo-700 hover:underline">
          ← {t.backToDashboard}
        </Link>
        {failed || !s ? (
          <ErrorBox text={t.blockError} />
        ) : (
          <>
            <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-labelledby="session-title">
              <h1 id="session-title" className="mb-3 flex flex-wrap items-center gap-2 text-lg font-semibold">
                {t.sessionDetail} <code className="text-sm font-normal text-slate-500">{s.id}</code>
              </h1>
              <dl>
                {row(t.startedAt, fmt.dateTime(s.started_at))}
                {row(t.visitorId, <code>{s.visitor_id}</code>)}
                {row(t.landingUrl, s.landing_url ?? "—")}
                {row(t.referrer, s.referrer ?? "—")}
                {row(`${t.dims.utm_source} / ${t.dims.utm_medium}`, `${s.utm_source} / ${s.utm_medium}`)}
                {row(t.dims.utm_campaign, s.utm_campaign)}
                {row(t.dims.utm_content, s.utm_content)}
                {row(t.dims.utm_term, s.utm_term)}
                {row(t.dims.country, `${flag(s.country)} ${fmt.country(s.country)}`)}
                {row(`${t.dims.device} · ${t.dims.browser} · ${t.dims.os}`, `${fmt.device(s.device)} · ${s.browser} · ${s.os}`)}
                {row(t.pageViews, fmt.int(s.page_views))}
                {row(t.m.revenue, fmt.money(s.revenue))}
              </dl>
            </section>
            <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-labelledby="events-title">
              <h2 id="events-title" className="mb-3 text-base font-semibold">
                {t.events} ({s.events.length})
              </h2>
              <ol className="relative space-y-3 border-l border-slate-200 pl-4">
                {s.events.map((e, i) => (
                  <li key={i} className="text-sm">
                    <span className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border-2 border-white bg-indigo-500" aria-hidden="true" />
                    <div className="flex flex-wrap items-baseline gap-2">
                      <span className="font-medium">{e.type === "custom" && e.name ? e.name : e.type}</span>
                      <span className="text-xs tabular-nums text-slate-500">{fmt.dateTime(e.occurred_at)}</span>
                    </div>
                    {e.path ? <div className="break-all text-xs text-slate-500">{e.path}</div> : null}
                    {e.properties ? <code className="block break-all text-[11px] text-slate-400">{JSON.stringify(e.properties)}</code> : null}
                  </li>
                ))}
              </ol>
            </section>
            <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-labelledby="orders-title">
              <h2 id="orders-title" className="mb-3 text-base font-semibold">
                {t.ordersOfSession}
              </h2>
              {s.orders.length === 0 ? (
                <p className="text-sm text-slate-500">{t.noData}</p>
              ) : (
                <ul className="divide-y divide-slate-100 text-sm">
                  {s.orders.map((o) => (
                    <li key={o.order_id} className="flex flex-wrap justify-between gap-2 py-2">
                      <code>{o.order_id}</code>
                      <span className="text-slate-500">{o.status}</span>
                      <span className="tabular-nums">{fmt.dateTime(o.placed_at)}</span>
                      {/* SPEC 17.5: an order in another currency shows its amount as sent; with no rate yet it counts nowhere. */}
                      {o.total === null ? (
                        <strong className="tabular-nums text-amber-700" data-awaiting-rate>
                          {o.currency} {fmt.num(o.total_original)} · {t.dash.awaitingRateShort}
                        </strong>
                      ) : (
                        <strong className="tabular-nums">
                          {fmt.money(o.total)}
                          {o.currency && o.currency !== config().currency ? (
                            <span className="ml-1 font-normal text-slate-500">
                              ({o.currency} {fmt.num(o.total_original)})
                            </span>
                          ) : null}
                        </strong>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </main>
    </>
  );
}
