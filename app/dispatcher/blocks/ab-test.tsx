import { getAbTest, type AbTestAnswer, type AbVariant } from "@/lib/analytics/ab-test";
import { abVerdict } from "@/lib/analytics/ab-test-display";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { fill, signedPct } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { SelectorsForm } from "../client/Selectors";
import { db, orError } from "./shared";

/**
 * The A/B module (SPEC 5.4, seed v3.0): a campaign selector (the campaigns with sessions in the
 * range) committed by «Показати результат»; «Оберіть кампанію» until one is chosen; the result
 * table with 🏆 on the winner, «Переможець» with the lift as `+25.0%`, and the confidence
 * coloured ≥ 95 green, ≥ 80 yellow, else red; «Немає даних» for a campaign without variants.
 * SPEC 18: winner, trophy and lift only when significant (abVerdict); one variant shows no
 * probability to be best.
 */

export type ConfidenceTone = "green" | "yellow" | "red";
export function confidenceTone(c: number): ConfidenceTone {
  return c >= 95 ? "green" : c >= 80 ? "yellow" : "red";
}
const TONE: Record<ConfidenceTone, string> = {
  green: "bg-emerald-100 text-emerald-800",
  yellow: "bg-amber-100 text-amber-800",
  red: "bg-rose-100 text-rose-800",
};

/** The answer as the seed's tests feed it: only some fields may be present. */
export type AbViewData = Pick<AbTestAnswer, "campaign" | "winner"> &
  Partial<Omit<AbTestAnswer, "variants">> & { variants: (Pick<AbVariant, "utm_content" | "conversion_rate"> & Partial<AbVariant>)[] };

export function AbResultView({ campaign, data, t, fmt }: { campaign?: string; data?: AbViewData; t: Dict; fmt: Formatters }) {
  if (!campaign) {
    return (
      <div id="ab-test-result">
        <Empty text={t.chooseCampaign} />
      </div>
    );
  }
  if (!data || data.variants.length === 0) {
    return (
      <div id="ab-test-result">
        <Empty text={t.noData} />
      </div>
    );
  }
  const confidence = data.confidence ?? null;
  const tone = confidence === null ? null : confidenceTone(confidence);
  const n = (v: number | undefined, f: (x: number) => string) => (v === undefined ? "—" : f(v));
  const verdict = abVerdict({ winner: data.winner, winner_lift: data.winner_lift ?? null, is_significant: data.is_significant ?? false, variants: data.variants });
  const ms = t.money;
  return (
    <div id="ab-test-result" className="space-y-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {verdict.winner !== null ? (
          <span className="inline-flex items-center gap-1.5 rounded-lg bg-amber-50 px-3 py-1.5 font-medium text-amber-900 ring-1 ring-amber-200" data-winner={verdict.winner}>
            <span aria-hidden="true">🏆</span>
            {t.winner}: <strong>{verdict.winner}</strong>
            {verdict.lift !== null ? <span className="tabular-nums text-emerald-700">({signedPct(verdict.lift)})</span> : null}
          </span>
        ) : (
          <span className="rounded-lg bg-slate-100 px-3 py-1.5 text-slate-600" data-leader={verdict.leader ?? undefined}>
            {verdict.leader !== null ? fill(ms.leading, { v: verdict.leader }) : data.variants.length < 2 ? ms.singleVariant : t.noWinner}
          </span>
        )}
        {confidence !== null && tone ? (
          <span className={`rounded-lg px-3 py-1.5 font-medium tabular-nums ${TONE[tone]}`} data-confidence-tone={tone}>
            {t.confidence}: {fmt.pct(confidence)} · {data.is_significant ? t.significant : t.notSignificant}
          </span>
        ) : null}
        {data.min_sessions_per_variant ? (
          <span className="text-xs text-slate-500">
            {t.minSessions}: <span className="tabular-nums">{fmt.int(data.min_sessions_per_variant)}</span>
          </span>
        ) : null}
      </div>
      <div className="-mx-4 overflow-x-auto sm:mx-0">
        <table className="w-full min-w-[36rem] text-sm">
          <caption className="sr-only">{`${t.blocks.ab}: ${data.campaign}`}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="px-3 py-2 text-left font-medium">{t.variant}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.sessions}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.conversions}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.conversion_rate}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.revenue}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.revenue_per_session}</th>
              {verdict.showProbability ? <th scope="col" className="px-3 py-2 text-right font-medium">{t.m.probability_to_be_best}</th> : null}
            </tr>
          </thead>
          <tbody>
            {data.variants.map((v) => {
              const win = v.utm_content === verdict.winner;
              return (
                <tr key={v.utm_content} className={`border-b border-slate-100 last:border-0 ${win ? "bg-amber-50/70" : ""}`} data-variant={v.utm_content}>
                  <td className="px-3 py-2 font-medium text-slate-800">
                    {win ? <span title={t.winner} aria-label={t.winner}>🏆 </span> : null}
                    {v.utm_content}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{n(v.sessions, fmt.int)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{n(v.conversions, fmt.int)}</td>
                  <td className="px-3 py-2 text-right font-semibold tabular-nums">{fmt.pct(v.conversion_rate)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{n(v.revenue, fmt.money)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{n(v.revenue_per_session, fmt.money)}</td>
                  {verdict.showProbability ? <td className="px-3 py-2 text-right tabular-nums">{n(v.probability_to_be_best, fmt.pct)}</td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Campaigns with sessions in the range, for the selector (the current choice is kept even if absent). */
export async function AbControls({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  const r = await load(ctx, "ab-campaigns", async () => getBreakdown(await db(), ctx.q, "campaigns"));
  const names = r.ok ? r.data.rows.map((row) => row.key).filter((k) => k !== "(none)") : [];
  if (ctx.state.campaign && !names.includes(ctx.state.campaign)) names.unshift(ctx.state.campaign);
  if (ctx.readOnly && ctx.campaignLocked) return null;
  return (
    <SelectorsForm
      testId="ab-controls"
      button={t.showResult}
      selects={[
        {
          name: "campaign",
          label: t.campaign,
          value: ctx.state.campaign ?? "",
          options: [{ value: "", label: `— ${t.chooseCampaign} —` }, ...names.map((n) => ({ value: n, label: n }))],
        },
      ]}
    />
  );
}

export async function AbBlock({ ctx }: { ctx: DashboardContext }) {
  const campaign = ctx.state.campaign;
  if (!campaign) return <AbResultView t={ctx.i18n.t} fmt={ctx.i18n.fmt} />;
  const r = await load(ctx, "ab", async () => getAbTest(await db(), ctx.q, { campaign }));
  return orError(r, (data) => <AbResultView campaign={campaign} data={data} t={ctx.i18n.t} fmt={ctx.i18n.fmt} />);
}
