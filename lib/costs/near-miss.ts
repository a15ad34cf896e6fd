import { distance } from "fastest-levenshtein";
import { GENERIC_COLUMNS, PLATFORM_FORMATS, headerKey, splitCurrency, type Lang } from "./formats";

/**
 * When no header row is recognised, the row that comes closest: a format some of whose columns
 * are there, and for each missing one the header cell nearest to its name (edit distance, so
 * "Costs" for "Cost", "Amount spend" for "Amount spent"). The import is refused with
 * "column 'Cost' not found; did you mean 'Costs'?" rather than "unknown file".
 */

export type NearMiss = {
  /** "Google Ads", "Meta Ads Manager", …, or "generic" for date, utm_source, utm_campaign, amount. */
  label: string;
  missing: { column: string; closest: string | null }[];
};

type Role = { column: string; names: string[] };

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A cell is near a name when at most a third of the name's letters differ (at least one may). */
export function isNear(cell: string, name: string): boolean {
  return distance(cell, name) <= Math.max(1, Math.floor(name.length / 3));
}

/** The cell (as written in the file) nearest to one of the names, when near enough; else null. */
export function closestCell(cells: string[], names: string[], taken: ReadonlySet<number> = new Set()): string | null {
  let best: { at: number; d: number } | null = null;
  cells.forEach((raw, at) => {
    if (taken.has(at)) return;
    const key = splitCurrency(headerKey(raw)).name;
    if (key === "") return;
    for (const n of names) {
      if (!isNear(key, n)) continue;
      const d = distance(key, n);
      if (!best || d < best.d) best = { at, d };
    }
  });
  return best === null ? null : cells[(best as { at: number }).at].trim();
}

function candidates(): { label: string; roles: Role[] }[] {
  const out: { label: string; roles: Role[] }[] = [
    {
      label: "generic",
      roles: GENERIC_COLUMNS.filter((c) => c !== "utm_campaign").map((c) => ({ column: c, names: [c] })),
    },
  ];
  for (const f of PLATFORM_FORMATS) {
    for (const lang of ["en", "uk", "ru"] as Lang[]) {
      if (f.campaign[lang].length === 0) continue;
      out.push({
        label: f.label,
        roles: [
          { column: title(f.campaign[lang][0]), names: f.campaign[lang] },
          { column: title(f.cost[lang][0]), names: f.cost[lang] },
          { column: title(f.day[lang][0]), names: [...f.day[lang], ...(f.start?.[lang] ?? [])] },
        ],
      });
    }
  }
  return out;
}

/** The closest format to this header row, or null when not one of its columns is there. */
export function nearMissOf(cells: string[]): NearMiss | null {
  const keys = cells.map((c) => splitCurrency(headerKey(c)).name);
  let best: { miss: NearMiss; found: number; near: number } | null = null;
  for (const c of candidates()) {
    const taken = new Set<number>();
    const missing: NearMiss["missing"] = [];
    let found = 0;
    for (const r of c.roles) {
      const at = keys.findIndex((k) => r.names.includes(k));
      if (at >= 0) {
        found++;
        taken.add(at);
      } else missing.push({ column: r.column, closest: null });
    }
    if (found === 0 || missing.length === 0) continue;
    let near = 0;
    for (const m of missing) {
      const role = c.roles.find((r) => r.column === m.column) as Role;
      m.closest = closestCell(cells, role.names, taken);
      if (m.closest !== null) near++;
    }
    // Most columns found, then most missing ones with a near cell.
    if (!best || found + near > best.found + best.near || (found + near === best.found + best.near && found > best.found)) {
      best = { miss: { label: c.label, missing }, found, near };
    }
  }
  // One found column alone ("Campaign") is no evidence unless a near cell backs it.
  if (!best || best.found + best.near < 2) return null;
  return best.miss;
}

/** "column 'Cost' not found; did you mean 'Costs'?" (one clause per missing column). */
export function nearMissMessage(m: NearMiss): string {
  const what = m.label === "generic" ? "a cost CSV (date, utm_source, utm_campaign, amount)" : `a ${m.label} export`;
  const parts = m.missing.map((x) => `column '${x.column}' not found${x.closest ? `; did you mean '${x.closest}'?` : ""}`);
  return `This looks like ${what}, but ${parts.join(", and ")}`;
}
