import { Suspense, type ReactNode } from "react";
import { BlockBoundary } from "@/app/components/BlockBoundary";
import { BlockCard } from "@/app/components/Card";
import { ExportLink } from "@/app/components/ExportLink";
import { Loading } from "@/app/components/States";
import type { DashboardContext } from "./context";
import { AbBlock, AbControls } from "./blocks/ab-test";
import { AwaitingRateNotice } from "./blocks/awaiting-rate";
import { AttributionBlock, AttributionControls, attributionCsvHref } from "./blocks/attribution";
import { BreakdownBlock, TABLE_DIMENSION } from "./blocks/breakdown";
import { CohortBlock, CohortControls, cohortApiHref } from "./blocks/cohort";
import { FunnelBlock } from "./blocks/funnel";
import { KpiBlock } from "./blocks/kpi";
import { LtvBlock } from "./blocks/ltv";
import { RealtimeBlock, showsRealtime } from "./blocks/realtime";
import { RepeatBlock } from "./blocks/repeat";
import { ReturningBlock } from "./blocks/returning";
import { RoiBlock } from "./blocks/roi";
import { SessionsBlock } from "./blocks/sessions";
import { MetricTabs, TimeseriesBlock } from "./blocks/timeseries";
import { PendingArea } from "./client/Pending";
import { EmptyNotice, TabNav } from "./blocks/tabs";
import { GoalsBlock } from "./blocks/goals";
import { exportHref, type TableId } from "./search-params";
import { cohortCsvHref } from "./csv-links";

/**
 * The dashboard's blocks (SPEC 6). Each block is its own card with its own <Suspense> (streams
 * in when its query answers, «Завантаження...» meanwhile) and its own error boundary; a block's
 * query failure is caught in the block and shown in place, so one failing report never takes the
 * page down. Shared by /dispatcher and the read-only /share/[token].
 */
export function Dashboard({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  const s = t.dash;
  // A table's CSV carries the table's sort, so the file lists the rows in the order shown.
  const csv = (report: string, table?: TableId, href = exportHref(report, ctx.params, ctx.shareToken, table && ctx.state.sort[table])) => (
    <ExportLink href={href} label={t.exportCsv} title={`${t.exportCsvLabel}: ${report}`} />
  );
  const block = (id: string, title: string, body: ReactNode, opts: { actions?: ReactNode; className?: string; above?: ReactNode } = {}) => (
    <BlockCard id={id} title={title} actions={opts.actions} className={opts.className}>
      <PendingArea scope={id}>
        {opts.above}
        <BlockBoundary fallback={t.blockError}>
          <Suspense fallback={<Loading label={t.loading} />}>{body}</Suspense>
        </BlockBoundary>
      </PendingArea>
    </BlockCard>
  );
  // Tabbed cards (issue 12): only the active tab's report runs.
  const { acquisition: acq, pages, tech } = ctx.state.tabs;
  return (
    <div className="space-y-4 sm:space-y-5">
      <Suspense fallback={null}>
        <EmptyNotice ctx={ctx} />
      </Suspense>
      <Suspense fallback={null}>
        <AwaitingRateNotice ctx={ctx} />
      </Suspense>
      <section aria-label={t.blocks.kpi} data-block="kpi">
        <PendingArea scope="kpi">
          <BlockBoundary fallback={t.blockError}>
            <Suspense fallback={<Loading label={t.loading} />}>
              <KpiBlock ctx={ctx} />
            </Suspense>
          </BlockBoundary>
        </PendingArea>
      </section>

      {showsRealtime(ctx) ? block("realtime", t.watch.realtime, <RealtimeBlock ctx={ctx} />) : null}

      {block("timeseries", t.blocks.timeseries, <TimeseriesBlock ctx={ctx} />, { actions: <MetricTabs ctx={ctx} /> })}

      {block("acquisition", s.cards.acquisition, <BreakdownBlock key={acq} ctx={ctx} table={acq} />, {
        actions: csv(TABLE_DIMENSION[acq].report, acq),
        above: <TabNav ctx={ctx} group="acquisition" active={acq} />,
      })}

      <div className="grid grid-cols-1 gap-4 sm:gap-5 xl:grid-cols-2">
        {block("funnel", t.blocks.funnel, <FunnelBlock ctx={ctx} />)}
        {block("returning", t.blocks.returning, <ReturningBlock ctx={ctx} />)}
      </div>

      <div className="grid grid-cols-1 gap-4 sm:gap-5 xl:grid-cols-2">
        {block("pages", s.cards.pages, <BreakdownBlock key={pages} ctx={ctx} table={pages} compact />, {
          actions: csv(TABLE_DIMENSION[pages].report, pages),
          above: <TabNav ctx={ctx} group="pages" active={pages} />,
        })}
        {block("goals", s.cards.goals, <GoalsBlock ctx={ctx} s={s} />, { actions: csv("events") })}
      </div>

      <div className="grid grid-cols-1 gap-4 sm:gap-5 xl:grid-cols-2">
        {block("geo", s.cards.geo, <BreakdownBlock ctx={ctx} table="geo" compact />, { actions: csv("geo", "geo") })}
        {block("tech", s.cards.tech, <BreakdownBlock key={tech} ctx={ctx} table={tech} compact />, {
          actions: csv(TABLE_DIMENSION[tech].report, tech),
          above: <TabNav ctx={ctx} group="tech" active={tech} />,
        })}
      </div>

      {block("roi", t.blocks.roi, <RoiBlock ctx={ctx} />, {
        actions: csv("roi", "roi", exportHref("roi", ctx.params, ctx.shareToken, ctx.state.sort.roi, { spend: ctx.state.spend?.toString() })),
      })}

      {block("attribution", t.blocks.attribution, <AttributionBlock ctx={ctx} />, {
        actions: csv("attribution", undefined, attributionCsvHref(ctx)),
        above: (
          <div className="mb-4">
            <AttributionControls ctx={ctx} />
          </div>
        ),
      })}

      <h2 className="pt-2 text-lg font-semibold tracking-tight text-slate-800">v3.0 · {t.m.customers}</h2>
      {block("repeat", t.blocks.repeat, <RepeatBlock ctx={ctx} />)}
      {block("ltv", t.blocks.ltv, <LtvBlock ctx={ctx} />, { actions: csv("ltv", "ltv") })}
      {block("cohort", t.blocks.cohort, <CohortBlock ctx={ctx} />, {
        actions: (
          <>
            <a href={cohortApiHref(ctx)} className="text-xs text-slate-400 hover:text-indigo-700" data-cohort-api>
              JSON
            </a>
            {/* The heatmap's own range, cohort type and metric: the file is the matrix on screen. */}
            {csv("cohort", undefined, cohortCsvHref(ctx))}
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
