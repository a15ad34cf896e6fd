import { cohortApiHref } from "./blocks/cohort";
import type { DashboardContext } from "./context";

/**
 * The cohort block's CSV link: the heatmap's own range preset (cohort_range), cohort type and
 * metric, the same parameters as its JSON link, so the file is the matrix on screen (issue 12:
 * the link used to say `report=cohort&period=year` while the screen showed LTV / day / 30 days).
 */
export function cohortCsvHref(ctx: Pick<DashboardContext, "params" | "state" | "shareToken">): string {
  return cohortApiHref(ctx).replace("/api/utm/cohort-analysis?", "/api/utm/export-csv?report=cohort&");
}
