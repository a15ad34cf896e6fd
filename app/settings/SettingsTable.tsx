import type { ReactNode } from "react";

/**
 * A settings list: column heads, one row per item, a centred line when there is none; scrolls
 * sideways on a phone. `width` is the table's minimum width (a Tailwind min-w class).
 */
export function SettingsTable({ head, rows, empty, width = "min-w-[32rem]", className = "" }: { head: string[]; rows: ReactNode[][]; empty: string; width?: string; className?: string }) {
  return (
    <div className={`-mx-4 overflow-x-auto sm:mx-0 ${className}`}>
      <table className={`w-full ${width} text-sm`}>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            {head.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={head.length} className="px-3 py-4 text-center text-sm text-slate-400">
                {empty}
              </td>
            </tr>
          ) : null}
          {rows.map((r, i) => (
            <tr key={i} className="border-b border-slate-100 last:border-0">
              {r.map((c, j) => (
                <td key={j} className="px-3 py-2 align-middle">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
