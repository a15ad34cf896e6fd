import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { servePglite, type PgliteServer } from "@/lib/runtime/pglite-server";

/**
 * The socket `npm run dev` serves PGlite on, shared by the app (pool of 1) and the CLI: several
 * clients at once must each see whole statements and whole transactions.
 */
describe("PGlite served on a local socket", () => {
  let db: PGlite;
  let server: PgliteServer;
  let url: string;
  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec("create table t (id int primary key, who text not null)");
    server = await servePglite(db);
    url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
  });
  afterAll(async () => {
    await server.stop();
    await db.close();
  });

  it("serves two clients at once with interleaved prepared statements and transactions", async () => {
    const app = postgres(url, { max: 1, onnotice: () => {} });
    const cli = postgres(url, { max: 3, onnotice: () => {} });
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => app`insert into t values (${i}, ${"app"})`),
      ...Array.from({ length: 20 }, (_, i) =>
        cli.begin(async (tx) => {
          await tx`insert into t values (${1000 + i}, ${"cli"})`;
          await tx`insert into t values (${2000 + i}, ${"cli"})`;
        }),
      ),
    ]);
    // 40 single inserts + 20 transactions × 2 rows = 80 rows.
    const [n] = await app<{ app: number; cli: number }[]>`select count(*) filter (where who = 'app')::int as app, count(*) filter (where who = 'cli')::int as cli from t`;
    expect(n).toEqual({ app: 40, cli: 40 });
    await app.end();
    await cli.end();
  });

  it("a failed transaction rolls back without disturbing the other client", async () => {
    const a = postgres(url, { max: 1, onnotice: () => {} });
    const b = postgres(url, { max: 1, onnotice: () => {} });
    await a`delete from t`;
    const failing = a
      .begin(async (tx) => {
        await tx`insert into t values (1, 'a')`;
        await tx`insert into t values (1, 'duplicate')`;
      })
      .catch((e: { code?: string }) => e.code);
    const other = b`insert into t values (2, 'b')`;
    expect(await failing).toBe("23505");
    await other;
    expect(await b`select id, who from t order by id`).toEqual([{ id: 2, who: "b" }]);
    await a.end();
    await b.end();
  });

  it("rolls back the open transaction of a client that goes away", async () => {
    const a = postgres(url, { max: 1, onnotice: () => {} });
    await a`delete from t`;
    const tx = a.begin(async (t) => {
      await t`insert into t values (7, 'gone')`;
      await new Promise(() => {}); // never commits
    });
    tx.catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    await a.end({ timeout: 0 });
    const b = postgres(url, { max: 1, onnotice: () => {} });
    expect(await b`select count(*)::int as n from t`).toEqual([{ n: 0 }]);
    await b.end();
  });
});
