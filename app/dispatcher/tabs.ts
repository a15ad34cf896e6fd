/**
 * Tabbed cards of related tables (issue 12): the active tab lives in the URL (`tab_source=mediums`)
 * and only that tab's report runs in the server render. The first tab is the default (left out of
 * the URL) and an unknown value falls back to it (a tab is presentation, never data, so it does
 * not deserve an error page): the tab parsers in search-params.ts.
 */
export const TAB_GROUPS = {
  acquisition: { param: "tab_source", tabs: ["sources", "channels", "mediums", "campaigns", "content", "terms"] },
  pages: { param: "tab_pages", tabs: ["landing_pages", "referrers"] },
  tech: { param: "tab_tech", tabs: ["devices", "browsers", "os"] },
} as const;

export type TabGroup = keyof typeof TAB_GROUPS;
export type TabOf<G extends TabGroup> = (typeof TAB_GROUPS)[G]["tabs"][number];
