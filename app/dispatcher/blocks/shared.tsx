import type { ReactNode } from "react";
import { getReadDb } from "@/lib/db/client";
import { ErrorBox } from "@/app/components/States";
import type { DashboardContext, Loaded } from "../context";
import { dashboardHref, nextSort, type TableId } from "../search-params";

/** The blocks' analytics reads: the read replica when DATABASE_READ_URL is set, else the primary. */
export const db = () => getReadDb();

/** Renders a loaded block or its error in place. */
export function orError<T>(r: Loaded<T>, render: (data: T) => ReactNode): ReactNode {
  return r.ok ? render(r.data) : <ErrorBox text={r.message} />;
}

/** Header link that sorts `table` by `col`, and the current direction of that column. */
export function sortProps(ctx: DashboardContext, table: TableId, col: string, numeric: boolean) {
  const current = ctx.state.sort[table];
  return {
    sortHref: dashboardHref(ctx.basePath, ctx.params, { [`sort_${table}`]: nextSort(current, col, numeric) }),
    sorted: current?.col === col ? current.dir : undefined,
  };
}

/** Flag emoji of an ISO 3166-1 alpha-2 code (regional indicator symbols); a globe for unknown. */
export function flag(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return "🌐";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
