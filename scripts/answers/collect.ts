import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";

/**
 * The answer of every analytics endpoint and CSV export on the seeded demo data, keyed by a file
 * name (`<endpoint>__<variant>`). `npm run dump-answers` writes them to a directory for `diff -r`;
 * tests/db/answers-unchanged.test.ts compares a small set against tests/fixtures/answers/ on both
 * drivers, so a behaviour-preserving refactor is checked by CI, not by hand.
 * The caller installs `db` as the process handle (route handlers call getDb()); the clock is fixed
 * here to `now`, so the answers do not depend on the day they are taken.
 */

export type Answer = { status: number; type: string; disposition: string; body: string };
export type AnswerSetOptions = { sessions: number; days: number; seed: number; now: Date; onEndpoint?: (name: string) => void };

/** The parameter sets every report is called with (besides its own `query`). */
export const VARIANTS: Record<string, Record<string, string>> = {
  default: {},
  year: { period: "year" },
  filter: { period: "year", utm_source: "google" },
  not: { period: "quarter", not_device: "mobile", utm_medium: "cpc" },
  custom: { start_date: "2026-03-01", end_date: "2026-03-31" },
};

export const answerSlug = (s: string) => s.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "");

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function collectAnswers(db: Db, opts: AnswerSetOptions): Promise<Map<string, Answer>> {
  const { setFixedNow } = await import("@/lib/clock");
  const { seedDemo } = await import("@/lib/demo/seed");
  const { AB_CAMPAIGN } = await import("@/lib/demo/catalog");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { BENCH_ENDPOINTS } = await import("@/scripts/bench/endpoints");
  const { EXPORT_REPORTS } = await import("@/lib/analytics/export-csv");

  setFixedNow(opts.now);
  const answers = new Map<string, Answer>();
  try {
    await seedDemo(db, { sessions: opts.sessions, seed: opts.seed, days: opts.days, now: opts.now });
    await db.execute(sql`analyze`);
    const { token } = await createApiToken(db, { name: "dump", scopes: ["read"] });
    const [detail] = await rows<{ id: string }>(
      db,
      sql`select id::text as id from sessions where paid_orders > 0 order by started_at desc, id limit 1`,
    );
    const sessionId = detail?.id ?? "00000000-0000-4000-8000-000000000000";

    const call = async (file: string, handler: Handler, url: string, params: Record<string, string>) => {
      const res = await handler(new Request(url, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve(params),
      });
      answers.set(file, {
        status: res.status,
        type: res.headers.get("content-type") ?? "",
        disposition: res.headers.get("content-disposition") ?? "",
        body: await res.text(),
      });
    };

    for (const ep of BENCH_ENDPOINTS) {
      const handler = (await ep.load()).GET as Handler;
      for (const [variant, extra] of Object.entries(VARIANTS)) {
        const sp = new URLSearchParams(extra);
        for (const [k, v] of Object.entries(ep.query ?? {})) sp.set(k, v === "{campaign}" ? AB_CAMPAIGN : v);
        const url = `http://dump.local/api/utm/${ep.path.replace("{id}", sessionId)}?${sp}`;
        await call(`${answerSlug(ep.name)}__${variant}`, handler, url, ep.params?.({ sessionId }) ?? {});
      }
      opts.onEndpoint?.(ep.name);
    }
    const exportHandler = (await import("@/app/api/utm/export-csv/route")).GET as Handler;
    for (const report of EXPORT_REPORTS) {
      for (const variant of ["default", "year", "not"]) {
        const sp = new URLSearchParams({ report, ...VARIANTS[variant] });
        await call(`export_${answerSlug(report)}__${variant}`, exportHandler, `http://dump.local/api/utm/export-csv?${sp}`, {});
      }
    }
    return answers;
  } finally {
    setFixedNow(undefined);
  }
}
