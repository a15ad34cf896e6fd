import Link from "next/link";
import type { ReactNode } from "react";

/**
 * A server-rendered table: sortable headers and row filters are plain links to the same view
 * with one URL parameter changed, so they work without JavaScript, keep history, and a copied
 * link reopens the same sort.
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

export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  rowHref,
  rowLabel,
  footer,
  empty,
  maxHeight = true,
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
      <table className="w-full min-w-[32rem] border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 z-10 bg-white">
          <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={c.sorted === "asc" ? "ascending" : c.sorted === "desc" ? "descending" : undefined}
                className={`px-3 py-2 font-medium whitespace-nowrap ${c.numeric ? "text-right" : "text-left"}`}
              >
                {c.sortHref ? (
                  <Link href={c.sortHref} scroll={false} className="inline-flex items-center gap-1 hover:text-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 rounded">
                    {c.label}
                    <span aria-hidden="true" className="text-[10px]">{c.sorted === "asc" ? "▲" : c.sorted === "desc" ? "▼" : "↕"}</span>
                  </Link>
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
              <tr key={rowKey(r)} className={`border-b border-slate-100 last:border-0 ${href ? "relative hover:bg-indigo-50/60" : ""}`}>
                {columns.map((c, i) => (
                  <td key={c.key} className={`px-3 py-2 ${c.numeric ? "text-right tabular-nums whitespace-nowrap" : "text-left"} ${c.className ?? ""}`}>
                    {i === 0 && href ? (
                      <Link
                        href={href}
                        scroll={false}
                        aria-label={rowLabel?.(r)}
                        data-row-filter
                        className="font-medium text-slate-800 after:absolute after:inset-0 after:content-[''] hover:text-indigo-700 focus:outline-none focus-visible:underline"
                      >
                        {c.render(r)}
                      </Link>
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
            <tr className="border-t-2 border-slate-200 font-semibold text-slate-800">
              {columns.map((c) => (
                <td key={c.key} className={`px-3 py-2 ${c.numeric ? "text-right tabular-nums whitespace-nowrap" : "text-left"}`}>
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
