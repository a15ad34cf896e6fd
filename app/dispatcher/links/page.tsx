import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AppHeader } from "@/app/components/AppHeader";
import { parseAnalyticsQuery, PERIODS, type Period } from "@/lib/analytics/params";
import { getUtmRules, listUtmLinks } from "@/lib/analytics/utm-links";
import { getSessionUser } from "@/lib/http/session";
import { getDb } from "@/lib/db/client";
import { getI18n } from "@/lib/http/locale";
import { LinkBuilder, DeleteLinkButton, CopyButton } from "./LinkBuilder";

export const metadata: Metadata = { title: "UTM links · UTM Dispatcher" };
export const dynamic = "force-dynamic";

/**
 * The UTM link builder (issue 12): tag a landing URL with the team's naming rules, copy it, save
 * it, and see each saved link's sessions, orders and revenue for a period, so a link that was
 * never clicked stands out. Everyone signed in sees the list; only admins save and delete.
 */
export default async function LinksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, sp, i18n] = await Promise.all([getSessionUser(), searchParams, getI18n()]);
  if (!user) redirect("/sign-in?callbackUrl=%2Fdispatcher%2Flinks");
  const { t, fmt, locale } = i18n;
  const s = t.tools;
  const raw = typeof sp.period === "string" ? sp.period : "month";
  const period: Period = (PERIODS as readonly string[]).includes(raw) ? (raw as Period) : "month";
  const q = parseAnalyticsQuery({ period });
  const db = await getDb();
  const [rules, links] = await Promise.all([getUtmRules(db), listUtmLinks(db, q)]);
  const admin = user.role === "admin";

  return (
    <>
      <AppHeader t={t} locale={locale} user={user} active="links" />
      <main className="mx-auto max-w-7xl space-y-5 px-3 py-4 sm:px-4 sm:py-6">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">{s.linkBuilder}</h1>
          <p className="text-sm text-slate-500">{s.linkBuilderHint}</p>
        </div>
        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="link-builder">
          <LinkBuilder rules={rules} s={s} dims={t.dims} canSave={admin} />
          <p className="mt-3 text-xs text-slate-500" data-testid="utm-rules-summary">
            {s.rulesSummary}: {rules.lowercase ? s.lowercaseOn : "—"} · {t.dims.utm_source}: {rules.allowed_sources.join(", ") || s.anyValue} · {t.dims.utm_medium}:{" "}
            {rules.allowed_mediums.join(", ") || s.anyValue}
            {admin ? (
              <>
                {" "}
                · <Link href="/settings#utm-rules" className="text-indigo-700 underline">{t.settings}</Link>
              </>
            ) : null}
          </p>
        </section>

        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-labelledby="saved-links-title" data-testid="saved-links">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 id="saved-links-title" className="text-base font-semibold text-slate-800">
              {s.savedLinks}
            </h2>
            <nav aria-label={t.period} className="flex flex-wrap gap-1.5">
              {PERIODS.map((p) => (
                <Link
                  key={p}
                  href={`/dispatcher/links?period=${p}`}
                  aria-current={p === period ? "page" : undefined}
                  className={`rounded-md px-2.5 py-1 text-xs font-medium ${p === period ? "bg-indigo-600 text-white" : "bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"}`}
                >
                  {t.periods[p]}
                </Link>
              ))}
            </nav>
          </div>
          <p className="mb-2 text-xs text-slate-500 tabular-nums">
            {fmt.range(q.range)}
          </p>
          <div className="-mx-4 overflow-x-auto sm:mx-0">
            <table className="w-full min-w-[44rem] text-sm">
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                  <th scope="col" className="sticky left-0 bg-white px-3 py-2 font-medium">{t.name}</th>
                  <th scope="col" className="px-3 py-2 font-medium">UTM</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.sessions}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.orders}</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.revenue}</th>
                  <th scope="col" className="px-3 py-2 font-medium">{t.actions}</th>
                </tr>
              </thead>
              <tbody>
                {links.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="px-3 py-4 text-center text-sm text-slate-400">
                      {t.noData}
                    </td>
                  </tr>
                ) : null}
                {links.map((l) => (
                  <tr key={l.id} className={`border-b border-slate-100 last:border-0 ${l.sessions === 0 ? "bg-amber-50/40" : ""}`} data-link-id={l.id} data-link-sessions={l.sessions}>
                    <td className={`sticky left-0 px-3 py-2 align-top ${l.sessions === 0 ? "bg-amber-50" : "bg-white"}`}>
                      <div className="font-medium">
                        {l.name ?? l.utm_campaign}
                        {/* Phones: the figures are a sideways scroll away, so the warning sits by the name too. */}
                        {l.sessions === 0 ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-800 sm:hidden">{s.neverClicked}</span> : null}
                      </div>
                      <div className="max-w-[18rem] truncate text-xs text-slate-500" title={l.base_url}>
                        {l.base_url}
                      </div>
                      <div className="text-xs text-slate-400">{fmt.dateTime(l.created_at)}</div>
                    </td>
                    <td className="px-3 py-2 align-top text-xs text-slate-600">
                      {l.utm_source} / {l.utm_medium} / {l.utm_campaign}
                      {l.utm_content !== "(none)" ? ` / ${l.utm_content}` : ""}
                      {l.utm_term !== "(none)" ? ` / ${l.utm_term}` : ""}
                    </td>
                    <td className="px-3 py-2 text-right align-top tabular-nums">
                      {fmt.int(l.sessions)}
                      {l.sessions === 0 ? <div className="text-xs font-medium text-amber-700" data-never-clicked>{s.neverClicked}</div> : null}
                    </td>
                    <td className="px-3 py-2 text-right align-top tabular-nums">{fmt.int(l.orders)}</td>
                    <td className="px-3 py-2 text-right align-top tabular-nums">{fmt.money(l.revenue)}</td>
                    <td className="px-3 py-2 align-top">
                      <span className="flex flex-wrap gap-2">
                        <CopyButton text={l.url} label={s.copy} done={s.copied} />
                        {admin ? <DeleteLinkButton id={l.id} label={t.delete} confirmText={`${t.delete}: ${l.name ?? l.utm_campaign}?`} /> : null}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </main>
    </>
  );
}
