import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppHeader } from "@/app/components/AppHeader";
import { ApiButton, ApiForm } from "@/app/components/ApiForm";
import { listShareLinks, shareSearchParams } from "@/lib/auth/share-links";
import { listApiTokens, listUsers } from "@/lib/auth/user-admin";
import { getSessionUser } from "@/lib/http/session";
import { getDb } from "@/lib/db/client";
import { getI18n } from "@/lib/http/locale";
import { listSubscriptions } from "@/lib/reports/subscriptions";
import { SettingsTable } from "./SettingsTable";
import { ShareLinkStatus } from "./ShareLinkStatus";
import { TrackerHealth } from "./TrackerHealth";
import { Connections } from "./Connections";
import { Forwarding } from "./Forwarding";
import { Alerts } from "./Alerts";
import { ReplicaStatus } from "./ReplicaStatus";
import { UtmRulesSection } from "./UtmRulesSection";
import { CampaignMapSection } from "./CampaignMap";

export const metadata: Metadata = { title: "Settings · UTM Dispatcher" };
export const dynamic = "force-dynamic";

/**
 * Settings (SPEC 6): users, API tokens, report subscriptions, share links. Everyone signed in may
 * look; only admins see the forms and buttons, and the route handlers they call refuse anyone
 * else with 403 (withGuard role admin), so hiding a button is never the only protection.
 */

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id={`${id}-title`} className="mb-4 text-base font-semibold text-slate-800">
        {title}
      </h2>
      <div className="space-y-4">{children}</div>
    </section>
  );
}


export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, sp, i18n] = await Promise.all([getSessionUser(), searchParams, getI18n()]);
  if (!user) redirect("/sign-in?callbackUrl=%2Fsettings");
  const { t, fmt, locale } = i18n;
  const admin = user.role === "admin";
  const db = await getDb();
  const [users, tokens, subs, links] = await Promise.all([listUsers(db), listApiTokens(db), listSubscriptions(db), listShareLinks(db)]);
  const view = typeof sp.view === "string" ? sp.view : "";
  const dt = (d: Date) => fmt.dateTime(d.toISOString());

  return (
    <>
      <AppHeader t={t} locale={locale} user={user} active="settings" />
      <main className="mx-auto max-w-5xl space-y-5 px-3 py-4 sm:px-4 sm:py-6">
        <h1 className="text-xl font-semibold tracking-tight">{t.settings}</h1>
        {!admin ? (
          <p className="rounded-lg border border-slate-200 bg-slate-100 p-3 text-sm text-slate-600" data-testid="viewer-notice">
            {t.adminOnly}
          </p>
        ) : null}

        <Section id="users" title={t.users}>
          <SettingsTable
            empty={t.noData}
            head={[t.email, t.role, t.created, ...(admin ? [t.actions] : [])]}
            rows={users.map((u) => [
              <span key="e" className="font-medium">{u.email}</span>,
              t.roles[u.role],
              dt(u.createdAt),
              ...(admin && u.id !== user.id
                ? [
                    <span key="a" className="flex flex-wrap gap-2">
                      <ApiButton endpoint={`/api/settings/users/${u.id}`} method="PATCH" body={{ role: u.role === "admin" ? "viewer" : "admin" }} label={`${t.changeRole} → ${t.roles[u.role === "admin" ? "viewer" : "admin"]}`} tone="neutral" />
                      <ApiButton endpoint={`/api/settings/users/${u.id}`} method="DELETE" label={t.delete} confirmText={`${t.delete} ${u.email}?`} />
                    </span>,
                  ]
                : admin
                  ? [""]
                  : []),
            ])}
          />
          {admin ? (
            <ApiForm
              testId="create-user"
              endpoint="/api/settings/users"
              submit={t.createUser}
              fields={[
                { kind: "email", name: "email", label: t.email, required: true },
                { kind: "password", name: "password", label: t.password, required: true },
                { kind: "select", name: "role", label: t.role, defaultValue: "viewer", options: [{ value: "viewer", label: t.roles.viewer }, { value: "admin", label: t.roles.admin }] },
              ]}
            />
          ) : null}
        </Section>

        <Section id="tokens" title={t.apiTokens}>
          <SettingsTable
            empty={t.noData}
            head={[t.tokenName, t.scopes, t.created, t.lastUsed, t.status, ...(admin ? [t.actions] : [])]}
            rows={tokens.map((k) => [
              <span key="n" className="font-medium">{k.name}</span>,
              k.scopes.join(", "),
              dt(k.createdAt),
              k.lastUsedAt ? dt(k.lastUsedAt) : <span key="u" className="text-slate-400">{t.neverUsed}</span>,
              k.revokedAt ? <span key="s" className="text-slate-400">{t.revoked}</span> : <span key="s" className="text-emerald-700">{t.active}</span>,
              ...(admin ? [k.revokedAt ? "" : <ApiButton key="r" endpoint={`/api/settings/tokens/${k.id}`} method="DELETE" label={t.revoke} confirmText={`${t.revoke} ${k.name}?`} />] : []),
            ])}
          />
          {admin ? (
            <ApiForm
              testId="create-token"
              endpoint="/api/settings/tokens"
              submit={t.createToken}
              reveal="token"
              revealLabel={t.tokenShownOnce}
              fields={[
                { kind: "text", name: "name", label: t.tokenName, required: true },
                { kind: "checkboxes", name: "scopes", label: t.scopes, defaultValue: ["read"], options: [{ value: "read", label: "read" }, { value: "ingest", label: "ingest" }] },
              ]}
            />
          ) : null}
        </Section>

        <Section id="subscriptions" title={t.subscriptions}>
          <SettingsTable
            empty={t.noData}
            head={[t.email, t.period, t.language, ...(admin ? [t.actions] : [])]}
            rows={subs.map((s) => [
              <span key="e" className="font-medium">{s.email}</span>,
              t.reportPeriods[s.period as "day" | "week" | "month"] ?? s.period,
              fmt.language(s.language),
              ...(admin ? [<ApiButton key="d" endpoint={`/api/admin/subscriptions/${s.id}`} method="DELETE" label={t.delete} />] : []),
            ])}
          />
          {admin ? (
            <ApiForm
              testId="create-subscription"
              endpoint="/api/admin/subscriptions"
              submit={t.subscribe}
              fields={[
                { kind: "email", name: "email", label: t.email, required: true },
                { kind: "select", name: "period", label: t.period, defaultValue: "week", options: (["day", "week", "month"] as const).map((p) => ({ value: p, label: t.reportPeriods[p] })) },
                { kind: "select", name: "language", label: t.language, defaultValue: locale, options: [{ value: "uk", label: "Українська" }, { value: "en", label: "English" }] },
              ]}
            />
          ) : null}
        </Section>

        <Section id="share-links" title={t.shareLinks}>
          <SettingsTable
            empty={t.noData}
            head={[t.name, t.shareView, t.expires, t.status, ...(admin ? [t.actions] : [])]}
            rows={links.map((l) => {
              const live = l.active;
              return [
                <span key="n" className="font-medium">{l.name ?? "—"}</span>,
                <code key="p" className="break-all text-xs text-slate-600">{shareSearchParams(l.params).toString()}</code>,
                dt(l.expiresAt),
                <ShareLinkStatus key="s" link={l} admin={admin} t={t} />,
                ...(admin ? [live ? <ApiButton key="r" endpoint={`/api/settings/share-links/${l.id}`} method="DELETE" label={t.revoke} /> : ""] : []),
              ];
            })}
          />
          {admin ? (
            <ApiForm
              testId="create-share-link"
              endpoint="/api/settings/share-links"
              submit={t.createShareLink}
              reveal="url"
              fields={[
                { kind: "text", name: "name", label: t.name },
                { kind: "text", name: "params", label: t.shareView, defaultValue: view || "period=month", placeholder: "period=month&utm_source=google" },
                { kind: "number", name: "expires_in_days", label: t.expiresInDays, defaultValue: 7, min: 1, max: 365 },
              ]}
            />
          ) : null}
        </Section>

        <TrackerHealth />
        <Connections admin={admin} />
        <Forwarding admin={admin} />
        <Alerts admin={admin} />
        <ReplicaStatus />
        <UtmRulesSection admin={admin} locale={locale} />
        <CampaignMapSection admin={admin} locale={locale} />
      </main>
    </>
  );
}
