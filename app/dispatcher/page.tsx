import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AppHeader } from "@/app/components/AppHeader";
import { getSessionUser } from "@/lib/http/session";
import { getI18n } from "@/lib/http/locale";
import { filterLabels } from "@/lib/i18n";
import { FilterBar } from "./client/FilterBar";
import { FilterChips, FilterPicker } from "./client/FilterPicker";
import { SavedViews } from "./client/SavedViews";
import { ShareDialog } from "./client/ShareDialog";
import { PendingProvider } from "./client/Pending";
import { buildContext } from "./context";
import { Dashboard } from "./Dashboard";
import { InvalidView } from "./InvalidView";
import { searchParamsOf, type RawParams } from "./search-params";

export const metadata: Metadata = { title: "Dispatcher · UTM Dispatcher" };
// Per-request data and the session cookie: never prerendered.
export const dynamic = "force-dynamic";

/** /dispatcher (SPEC 6): signed-in users only; every block is a server component over lib/analytics. */
export default async function DispatcherPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const [user, raw, i18n] = await Promise.all([getSessionUser(), searchParams, getI18n()]);
  if (!user) {
    const qs = searchParamsOf(raw).toString();
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/dispatcher${qs ? `?${qs}` : ""}`)}`);
  }
  const built = buildContext(raw, { basePath: "/dispatcher", i18n, isAdmin: user.role === "admin" });
  const { t } = i18n;
  return (
    <>
      <AppHeader t={t} locale={i18n.locale} user={user} active="dashboard" />
      <main className="mx-auto max-w-7xl space-y-4 px-3 py-4 sm:px-4 sm:py-6">
        {built.ok ? (
          <PendingProvider>
            <FilterBar
              key={`${built.ctx.q.range.start}:${built.ctx.q.range.end}`}
              t={t}
              s={t.dash}
              today={built.ctx.q.today}
              range={{ ...built.ctx.q.range, period: built.ctx.q.period }}
              shareHref={user.role === "admin" ? `/settings?view=${encodeURIComponent(searchParamsOf(built.ctx.params).toString())}#share-links` : undefined}
              filterTools={
                <>
                  <FilterChips labels={filterLabels(t)} locale={i18n.locale} />
                  <FilterPicker labels={filterLabels(t)} locale={i18n.locale} />
                  <SavedViews s={t.watch} />
                </>
              }
              share={user.role === "admin" ? <ShareDialog s={t.tools} locale={i18n.locale} /> : undefined}
            />
            <Dashboard ctx={built.ctx} />
          </PendingProvider>
        ) : (
          <InvalidView issues={built.issues} t={t} resetHref="/dispatcher" />
        )}
      </main>
    </>
  );
}
