import { and, asc, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { FILTER_PARAM_NAMES } from "@/lib/analytics/vocabulary";
import type { Db } from "@/lib/db/client";
import { savedViews } from "@/lib/db/schema-views";
import { AppError, badRequest } from "@/lib/errors";

/**
 * Saved views (SPEC 20, docs/watch.md): a signed-in user's named range + filters, listed in the
 * filter picker and applied by setting those URL parameters. Only the range (`period` or
 * `start_date`/`end_date`) and the dimension filters are kept: what selects the data, not how
 * the page is laid out. Each user sees only their own; saving again under a name replaces it.
 */

export const VIEW_NAME_MAX = 80;
export const MAX_VIEWS_PER_USER = 50;
/** The parameters a view holds. */
export const VIEW_PARAMS: readonly string[] = ["period", "start_date", "end_date", ...FILTER_PARAM_NAMES];

const noNul = (s: string) => !s.includes("\u0000");
const value = z.string({ error: "must be a string" }).max(500, "must be at most 500 characters").refine(noNul, "must not contain NUL characters");

export const viewInputSchema = z.strictObject({
  name: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(VIEW_NAME_MAX, `must be at most ${VIEW_NAME_MAX} characters`)
    .refine(noNul, "must not contain NUL characters"),
  params: z
    .record(z.string(), z.union([value, z.array(value).min(1, "must not be empty").max(50, "must have at most 50 values")]), { error: "must be an object of parameters" })
    .superRefine((p, ctx) => {
      for (const k of Object.keys(p)) {
        if (!VIEW_PARAMS.includes(k)) ctx.addIssue({ code: "custom", path: [k], message: "is not a range or filter parameter" });
      }
    }),
});
export type ViewInput = z.output<typeof viewInputSchema>;

export type SavedView = { id: number; name: string; params: Record<string, string | string[]>; created_at: string };

/** The range and filters must read as a dashboard query would (400 naming `params.<name>`). */
function checkParams(params: Record<string, string | string[]>): void {
  try {
    parseAnalyticsQuery(params);
  } catch (err) {
    if (err instanceof AppError && err.code === "invalid_input") {
      throw badRequest("Invalid view parameters", (err.issues ?? []).map((i) => ({ path: `params.${i.path}`, message: i.message })));
    }
    throw err;
  }
}

export async function listViews(db: Db, userId: number): Promise<SavedView[]> {
  const list = await db.select().from(savedViews).where(eq(savedViews.userId, userId)).orderBy(asc(savedViews.name), asc(savedViews.id));
  return list.map((r) => ({ id: r.id, name: r.name, params: r.params, created_at: r.createdAt.toISOString() }));
}

/** Saves (or replaces, by name) a view; 400 past MAX_VIEWS_PER_USER new names. */
export async function saveView(db: Db, userId: number, input: ViewInput): Promise<SavedView> {
  checkParams(input.params);
  const [{ n }] = await db.select({ n: count() }).from(savedViews).where(eq(savedViews.userId, userId));
  const [existing] = await db.select({ id: savedViews.id }).from(savedViews).where(and(eq(savedViews.userId, userId), eq(savedViews.name, input.name)));
  if (!existing && Number(n) >= MAX_VIEWS_PER_USER) {
    throw badRequest(`At most ${MAX_VIEWS_PER_USER} saved views per user`, [{ path: "name", message: `delete a view first (at most ${MAX_VIEWS_PER_USER})` }]);
  }
  const [row] = await db
    .insert(savedViews)
    .values({ userId, name: input.name, params: input.params })
    .onConflictDoUpdate({ target: [savedViews.userId, savedViews.name], set: { params: input.params, createdAt: sql`now()` } })
    .returning();
  return { id: row.id, name: row.name, params: row.params, created_at: row.createdAt.toISOString() };
}

/** Deletes one of the user's views; false when the user has no view with that id. */
export async function deleteView(db: Db, userId: number, id: number): Promise<boolean> {
  const gone = await db.delete(savedViews).where(and(eq(savedViews.id, id), eq(savedViews.userId, userId))).returning({ id: savedViews.id });
  return gone.length > 0;
}
