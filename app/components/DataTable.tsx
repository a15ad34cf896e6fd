import type { ReactNode } from "react";
import { NavLink } from "@/app/dispatcher/client/Pending";

/**
 * A server-rendered table: sortable headers and row filters are plain links to the same view
 * with one URL parameter changed, so they work without JavaScript, keep history, and a copied
 * link reopens the same sort. The links navigate in the dashboard's transition (pending state).
 * No inner vertical scroll (the Total row is always visible); on narrow screens the table scrolls
 * sideways with its first column fixed.
 */
export type Column<R> = {
  key: string;
  label: string;
  numeric?: boolean;
  render: (row: R) => ReactNode;
  /** A header link that sorts by this column (absent: not sortable). */
  sortHref?: string;
  sorted?: "asc" | "desc";
  className?: string;
};

/** The first column stays in place while the table scrolls sideways (phones). */
const STICKY = "sticky left-0 z-[1] shadow-[1px_0_0_0_#e2e8f0] sm:shadow-none";

export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  rowHref,
  rowLabel,
  footer,
  empty,
  maxHeight = false,
}: {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  /** Clicking a row adds its filter. */
  rowHref?: (row: R) => string | undefined;
  rowLabel?: (row: R) => string;
  footer?: R;
  empty: ReactNode;
  maxHeight?: boolean;
}) {
  if (rows.length === 0) return <>{empty}</>;
  return (
    <div className={`-mx-4 overflow-x-auto sm:mx-0 ${maxHeight ? "max-h-[26rem] overflow-y-auto" : ""}`}>
      <table className="w-full min-w-[32rem] border-separate border-spacing-0 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 z-10 bg-white">
          <tr className="text-xs uppercase tracking-wide text-slate-500">
            {columns.map((c, i) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={c.sorted === "asc" ? "ascending" : c.sorted === "desc" ? "descending" : undefined}
                className={`border-b border-slate-200 bg-white px-3 py-2 font-medium whitespace-nowrap ${c.numeric ? "text-right" : "text-left"} ${i === 0 ? STICKY : ""}`}
              >
                {c.sortHref ? (
                  <NavLink href={c.sortHref} className="inline-flex items-center gap-1 hover:text-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 rounded">
                    {c.label}
                    <span aria-hidden="true" className="text-[10px]">{c.sorted === "asc" ? "▲" : c.sorted === "desc" ? "▼" : "↕"}</span>
                  </NavLink>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const href = rowHref?.(r);
            return (
              <tr key={rowKey(r)} className={`group ${href ? "relative" : ""}`}>
                {columns.map((c, i) => (
                  <td
                    key={c.key}
                    className={`border-b border-slate-100 bg-white px-3 py-2 ${href ? "group-hover:bg-indigo-50" : ""} ${c.numeric ? "text-right tabular-nums whitespace-nowrap" : "text-left"} ${i === 0 ? `${STICKY} max-w-[11rem] break-words sm:max-w-xs` : ""} ${c.className ?? ""}`}
                  >
                    {i === 0 && href ? (
                      <NavLink
                        href={href}
                        scope="all"
                        aria-label={rowLabel?.(r)}
                        data-row-filter
                        className="font-medium text-slate-800 after:absolute after:inset-0 after:content-[''] hover:text-indigo-700 focus:outline-none focus-visible:underline"
                      >
                        {c.render(r)}
                      </NavLink>
                    ) : (
                      c.render(r)
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
        {footer ? (
          <tfoot>
            <tr className="font-semibold text-slate-800" data-total-row>
              {columns.map((c, i) => (
                <td key={c.key} className={`border-t-2 border-slate-200 bg-white px-3 py-2 ${c.numeric ? "text-right tabular-nums whitespace-nowrap" : "text-left"} ${i === 0 ? STICKY : ""}`}>
                  {c.render(footer)}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
