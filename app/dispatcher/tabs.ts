/**
 * Tabbed cards of related tables (issue 12): the active tab lives in the URL (`tab_source=mediums`)
 * and only that tab's report runs in the server render. An unknown value falls back to the first
 * tab (a tab is presentation, never data, so it does not deserve an error page).
 */
export const TAB_GROUPS = {
  acquisition: { param: "tab_source", tabs: ["sources", "mediums", "campaigns", "content", "terms"] },
  pages: { param: "tab_pages", tabs: ["landing_pages", "referrers"] },
  tech: { param: "tab_tech", tabs: ["devices", "browsers", "os"] },
} as const;

export type TabGroup = keyof typeof TAB_GROUPS;
export type TabOf<G extends TabGroup> = (typeof TAB_GROUPS)[G]["tabs"][number];

export function activeTab<G extends TabGroup>(group: G, params: Record<string, string | undefined>): TabOf<G> {
  const { param, tabs } = TAB_GROUPS[group];
  const v = params[param];
  return ((tabs as readonly string[]).includes(v ?? "") ? v : tabs[0]) as TabOf<G>;
}

/** The URL value of a tab (the first tab is the default and leaves the URL short). */
export function tabParam<G extends TabGroup>(group: G, tab: TabOf<G>): string | null {
  return TAB_GROUPS[group].tabs[0] === tab ? null : tab;
}
