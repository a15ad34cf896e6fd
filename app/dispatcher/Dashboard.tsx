import { Suspense, type ReactNode } from "react";
import { BlockBoundary } from "@/app/components/BlockBoundary";
import { BlockCard } from "@/app/components/Card";
import { ExportLink } from "@/app/components/ExportLink";
import { Loading } from "@/app/components/States";
import type { DashboardContext } from "./context";
import { AbBlock, AbControls } from "./blocks/ab-test";
import { BreakdownBlock } from "./blocks/breakdown";
import { CohortBlock, CohortControls, cohortApiHref } from "./blocks/cohort";
import { FunnelBlock } from "./blocks/funnel";
import { KpiBlock } from "./blocks/kpi";
import { LtvBlock } from "./blocks/ltv";
import { RepeatBlock } from "./blocks/repeat";
import { ReturningBlock } from "./blocks/returning";
import { RoiBlock } from "./blocks/roi";
import { SessionsBlock } from "./blocks/sessions";
import { MetricTabs, TimeseriesBlock } from "./blocks/timeseries";
import { exportHref } from "./search-params";

/**
 * The dashboard's blocks (SPEC 6). Each block is its own card with its own <Suspense> (streams
 * in when its query answers, «Завантаження...» meanwhile) and its own error boundary; a block's
 * query failure is caught in the block and shown in place, so one failing report never takes the
 * page down. Shared by /dispatcher and the read-only /share/[token].
 */
export function Dashboard({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  const csv = (report: string) => <ExportLink href={exportHref(report, ctx.params, ctx.shareToken)} label={t.exportCsv} title={`${t.exportCsvLabel}: ${report}`} />;
  const block = (id: string, title: string, body: ReactNode, opts: { actions?: ReactNode; className?: string; above?: ReactNode } = {}) => (
    <BlockCard id={id} title={title} actions={opts.actions} className={opts.className}>
      {opts.above}
      <BlockBoundary fallback={t.blockError}>
        <Suspense fallback={<Loading label={t.loading} />}>{body}</Suspense>
      </BlockBoundary>
    </BlockCard>
  );
  return (
    <div className="space-y-4 sm:space-y-5">
      <section aria-label={t.blocks.kpi} data-block="kpi">
        <BlockBoundary fallback={t.blockError}>
          <Suspense fallback={<Loading label={t.loading} />}>
            <KpiBlock ctx={ctx} />
          </Suspense>
        </BlockBoundary>
      </section>

      {block("timeseries", t.blocks.timeseries, <TimeseriesBlock ctx={ctx} />, { actions: <MetricTabs ctx={ctx} /> })}

      {block("sources", t.blocks.sources, <BreakdownBlock ctx={ctx} table="sources" />, { actions: csv("sources") })}
      {block("campaigns", t.blocks.campaigns, <BreakdownBlock ctx={ctx} table="campaigns" />, { actions: csv("campaigns") })}
      {block("content", t.blocks.content, <BreakdownBlock ctx={ctx} table="content" />, { actions: csv("content") })}

      <div className="grid grid-cols-1 gap-4 sm:gap-5 xl:grid-cols-2">
        {block("funnel", t.blocks.funnel, <FunnelBlock ctx={ctx} />)}
        {block("returning", t.blocks.returning, <ReturningBlock ctx={ctx} />)}
      </div>

      <div className="grid grid-cols-1 gap-4 sm:gap-5 xl:grid-cols-2">
        {block("geo", t.blocks.geo, <BreakdownBlock ctx={ctx} table="geo" compact />, { actions: csv("geo") })}
        {block("devices", t.blocks.devices, <BreakdownBlock ctx={ctx} table="devices" compact />, { actions: csv("devices") })}
      </div>

      <div className="grid grid-cols-1 gap-4 sm:gap-5 xl:grid-cols-2">
        {block("browsers", t.blocks.browsers, <BreakdownBlock ctx={ctx} table="browsers" compact />, { actions: csv("browsers") })}
        {block("os", t.blocks.os, <BreakdownBlock ctx={ctx} table="os" compact />, { actions: csv("operating-systems") })}
      </div>

      {block("roi", t.blocks.roi, <RoiBlock ctx={ctx} />, { actions: csv("roi") })}

      <h2 className="pt-2 text-lg font-semibold tracking-tight text-slate-800">v3.0 · {t.m.customers}</h2>
      {block("repeat", t.blocks.repeat, <RepeatBlock ctx={ctx} />)}
      {block("ltv", t.blocks.ltv, <LtvBlock ctx={ctx} />, { actions: csv("ltv") })}
      {block("cohort", t.blocks.cohort, <CohortBlock ctx={ctx} />, {
        actions: (
          <>
            <a href={cohortApiHref(ctx)} className="text-xs text-slate-400 hover:text-indigo-700" data-cohort-api>
              JSON
            </a>
            {csv("cohort")}
          </>
        ),
        above: ctx.readOnly ? null : (
          <div className="mb-4">
            <CohortControls ctx={ctx} />
          </div>
        ),
      })}
      {block("ab", t.blocks.ab, <AbBlock ctx={ctx} />, {
        above: (
          <div className="mb-4">
            <Suspense fallback={null}>
              <AbControls ctx={ctx} />
            </Suspense>
          </div>
        ),
      })}

      {block("sessions", t.blocks.sessions, <SessionsBlock ctx={ctx} />, { actions: csv("sessions") })}
    </div>
  );
}
