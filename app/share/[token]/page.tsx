import type { Metadata } from "next";
import { forbidden, unauthorized } from "next/navigation";
import { AppHeader } from "@/app/components/AppHeader";
import { assertShareAllows } from "@/lib/analytics/share-scope";
import { verifyShareToken } from "@/lib/auth/share-links";
import { AppError } from "@/lib/errors";
import { getI18n } from "@/lib/http/locale";
import { filterLabels } from "@/lib/i18n";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { FilterChips, FilterPicker } from "@/app/dispatcher/client/FilterPicker";
import { PendingProvider } from "@/app/dispatcher/client/Pending";
import { SharePeriod } from "./SharePeriod";
import { buildContext } from "@/app/dispatcher/context";
import { Dashboard } from "@/app/dispatcher/Dashboard";
import { InvalidView } from "@/app/dispatcher/InvalidView";
import { activeFilters, FILTER_PARAM_NAMES, loadDashboardParams, type RawParams } from "@/app/dispatcher/search-params";

export const metadata: Metadata = { title: "Shared view · UTM Dispatcher", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * A shared view (SPEC 6, 10): the same blocks, read-only, without an account. The link's locked
 * parameters are the defaults; the URL may narrow the range or change selectors, but another
 * filter or a wider range is refused with a 403 page; a bad, expired or revoked token gets 401.
 */
export default async function SharePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<RawParams> }) {
  const [{ token }, raw, i18n] = await Promise.all([params, searchParams, getI18n()]);
  let share: Awaited<ReturnType<typeof verifyShareToken>>;
  try {
    share = await verifyShareToken(decodeURIComponent(token));
  } catch (err) {
    if (err instanceof AppError && err.code === "unauthenticated") unauthorized();
    throw err;
  }
  // The URL's parameters win over the link's (every value of a repeated filter is kept).
  const effective: RawParams = { ...share.params, ...raw };
  const built = buildContext(effective, { basePath: `/share/${token}`, i18n, isAdmin: false, shareToken: decodeURIComponent(token), lockedParams: share.params });
  const { t, fmt } = i18n;
  const ts = t.tools;
  // The widest range the link allows (the period control stays inside it) and its own filters.
  let sharedRange: { start: string; end: string } | undefined;
  try {
    sharedRange = built.ok ? parseAnalyticsQuery(share.params, { now: built.ctx.q.now, tz: built.ctx.q.tz }).range : undefined;
  } catch {
    sharedRange = undefined;
  }
  const lockedPairs = Object.entries(share.params).flatMap(([k, v]) => (FILTER_PARAM_NAMES.includes(k) ? (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`) : []));
  if (built.ok) {
    try {
      assertShareAllows(share.params, built.ctx.q, effective);
    } catch (err) {
      if (err instanceof AppError && err.code === "forbidden") forbidden();
      throw err;
    }
  }
  return (
    <>
      <AppHeader t={t} locale={i18n.locale} />
      <main className="mx-auto max-w-7xl space-y-4 px-3 py-4 sm:px-4 sm:py-6">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl border border-indigo-100 bg-indigo-50/60 p-3 text-sm text-indigo-900" data-testid="share-banner">
          <strong>{t.readOnly}</strong>
          {built.ok ? (
            <span className="tabular-nums">
              {fmt.range(built.ctx.q.range)}
            </span>
          ) : null}
          {activeFilters(loadDashboardParams(effective)).map((c) => (
            <span key={`${c.param}=${c.value}`} className="rounded-full bg-white px-2.5 py-0.5 text-xs ring-1 ring-indigo-200" data-chip={c.key}>
              {t.dims[c.key]}{c.negated ? " ≠" : ":"} <strong>{c.value}</strong>
            </span>
          ))}
          <span className="ml-auto text-xs text-indigo-700">
            {t.shareExpires}: {fmt.dateTime(share.expiresAt.toISOString())}
          </span>
        </div>
        {built.ok ? (
          <PendingProvider>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl border border-slate-200 bg-white p-3 shadow-sm" data-testid="share-tools">
              {sharedRange ? (
                <SharePeriod
                  key={`${built.ctx.q.range.start}:${built.ctx.q.range.end}`}
                  shared={sharedRange}
                  current={built.ctx.q.range}
                  labels={{ title: ts.narrowPeriod, from: t.from, to: t.to, apply: t.apply, whole: ts.sharedRange }}
                />
              ) : null}
              <div className="flex flex-wrap items-center gap-2 text-sm" aria-label={t.filters}>
                <FilterChips labels={filterLabels(t)} locale={i18n.locale} locked={lockedPairs} />
                <FilterPicker labels={filterLabels(t)} locale={i18n.locale} shareToken={decodeURIComponent(token)} locked={lockedPairs} />
              </div>
            </div>
            <Dashboard ctx={built.ctx} />
          </PendingProvider>
        ) : (
          <InvalidView issues={built.issues} t={t} resetHref={`/share/${token}`} />
        )}
      </main>
    </>
  );
}
