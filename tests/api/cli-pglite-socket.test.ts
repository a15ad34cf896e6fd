import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDb, resolveOpenOptions, rows } from "@/lib/db/client";
import { pgliteSocketPath, servePglite, type PgliteServer } from "@/lib/runtime/pglite-server";
import { overrideProcessEnv, withConfig } from "../helpers/config";

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

describe("PGlite socket safety (SPEC 16, issue 10 item 7)", () => {
  let db: PGlite;
  let server: PgliteServer;
  let dir: string;
  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec("create table c (id int primary key, v text)");
    dir = mkdtempSync(path.join(tmpdir(), "utmd-sock-"));
    server = await servePglite(db, { socket: pgliteSocketPath(dir) });
  });
  afterAll(async () => {
    await server.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a 4 MB answer arrives intact through the socket (each chunk copied before the socket queues it)", async () => {
    // Through the Unix socket, as the app reads (over TCP the bug did not show).
    const app = postgres("postgres://postgres@localhost/postgres", { path: server.socket, max: 1, onnotice: () => {} });
    // 4,000 rows of 1,000 characters: row i is the digit i % 10 repeated, so a corrupted or
    // shifted chunk shows as a wrong row, a wrong length or a broken message.
    const got = await app<{ i: number; s: string }[]>`select i, repeat((i % 10)::text, 1000) as s from generate_series(1, 4000) i`;
    expect(got.length).toBe(4000);
    const bad = got.filter((r) => r.s !== String(r.i % 10).repeat(1000));
    expect(bad.length).toBe(0);
    await app.end();
  });

  it("listens on a Unix socket in the data directory: socket 0600, its directory 0700", async () => {
    expect(server.socket).toBe(path.join(dir, "pglite.sock", ".s.PGSQL.5432"));
    expect(statSync(server.socket!).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(server.socket!)).mode & 0o777).toBe(0o700);
    const sql = postgres({ path: server.socket, user: "postgres", database: "postgres", max: 1, onnotice: () => {} });
    expect(await sql`select 1 + 1 as two`).toEqual([{ two: 2 }]);
    await sql.end();
  });

  it("the app (UTMD_PGLITE_SOCKET) and the CLI (pglite.server.json) reach it through the socket", async () => {
    // The Next.js child, as run-app starts it (UTMD_PGLITE_SOCKET is read outside config()).
    const restoreEnv = overrideProcessEnv({ UTMD_PGLITE_SOCKET: server.socket });
    try {
      await withConfig({ DATABASE_URL: "postgres://postgres@localhost/postgres" }, async () => {
        const app = await openDb(resolveOpenOptions());
        expect(await rows(app.db, sql`select 'app' as who`)).toEqual([{ who: "app" }]);
        await app.close();
      });
    } finally {
      restoreEnv();
    }
    // `npm run utm` while the app runs: it finds the socket in DATA_DIR/pglite.server.json.
    await withConfig({ DATABASE_URL: undefined, DATA_DIR: dir }, async () => {
      writeFileSync(path.join(dir, "pglite.server.json"), JSON.stringify({ socket: server.socket, pid: process.ppid }));
      const opts = resolveOpenOptions();
      expect(opts).toMatchObject({ kind: "postgres", path: server.socket });
      const cli = await openDb(opts);
      expect(await rows(cli.db, sql`select 'cli' as who`)).toEqual([{ who: "cli" }]);
      await cli.close();
    });
  });

  it("a 3-row COPY … FROM STDIN gets an error and the backend keeps working", async () => {
    const sql = postgres({ path: server.socket, user: "postgres", database: "postgres", max: 1, onnotice: () => {} });
    const failed = await (async () => {
      const stream = await sql`copy c (id, v) from stdin`.writable();
      return new Promise<string>((resolve) => {
        stream.on("error", (e: Error) => resolve(e.message));
        stream.on("finish", () => resolve("finished without an error"));
        stream.write("1\ta\n2\tb\n3\tc\n");
        stream.end();
      });
    })().catch((e: Error) => e.message);
    expect(failed).toMatch(/COPY FROM STDIN is not supported by the embedded database/);
    // Nothing was copied and both this client and a new one are served normally.
    expect(await sql`select count(*)::int as n from c`).toEqual([{ n: 0 }]);
    await sql`insert into c values (10, 'after')`;
    const other = postgres({ path: server.socket, user: "postgres", database: "postgres", max: 1, onnotice: () => {} });
    expect(await other`select id, v from c`).toEqual([{ id: 10, v: "after" }]);
    await other.end();
    await sql.end();
  });

  it("a COPY FROM STDIN by simple query over a raw socket: ErrorResponse, ReadyForQuery, then queries work", async () => {
    const sock = createConnection(server.socket!);
    const received: Buffer[] = [];
    sock.on("data", (d) => received.push(d));
    await new Promise((r) => sock.once("connect", r));
    const startup = (() => {
      const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
      const b = Buffer.alloc(8 + params.length);
      b.writeInt32BE(b.length, 0);
      b.writeInt32BE(196608, 4);
      params.copy(b, 8);
      return b;
    })();
    const msg = (type: string, body: Buffer) => {
      const b = Buffer.alloc(5 + body.length);
      b.write(type, 0, "latin1");
      b.writeInt32BE(4 + body.length, 1);
      body.copy(b, 5);
      return b;
    };
    const query = (q: string) => msg("Q", Buffer.from(`${q}\0`));
    const waitFor = async (pred: (all: Buffer) => boolean) => {
      for (let i = 0; i < 100; i++) {
        if (pred(Buffer.concat(received))) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out; got ${Buffer.concat(received).toString("latin1")}`);
    };
    const readyCount = () => Buffer.concat(received).toString("latin1").split("Z\0\0\0\x05I").length - 1;
    sock.write(startup);
    await waitFor(() => readyCount() === 1);
    sock.write(query("copy c (id, v) from stdin"));
    sock.write(Buffer.concat([msg("d", Buffer.from("1\ta\n")), msg("d", Buffer.from("2\tb\n")), msg("d", Buffer.from("3\tc\n")), msg("c", Buffer.alloc(0))]));
    await waitFor(() => readyCount() === 2);
    expect(Buffer.concat(received).toString("latin1")).toContain("COPY FROM STDIN is not supported");
    received.length = 0;
    sock.write(query("select 41 + 1"));
    await waitFor(() => readyCount() === 1);
    expect(Buffer.concat(received).toString("latin1")).toContain("42");
    sock.end();
  });

  it("refuses a replication start-up with an error and stays up", async () => {
    const sql = postgres({ path: server.socket, user: "postgres", database: "postgres", max: 1, connection: { replication: "database" }, onnotice: () => {} });
    await expect(sql`select 1`).rejects.toThrow(/replication is not supported/);
    await sql.end({ timeout: 0 });
    const ok = postgres({ path: server.socket, user: "postgres", database: "postgres", max: 1, onnotice: () => {} });
    expect(await ok`select 3 as n`).toEqual([{ n: 3 }]);
    await ok.end();
  });
});
