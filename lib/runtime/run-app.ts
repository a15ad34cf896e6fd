import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { APP_SERVER_FILE, config, ConfigError, resetConfig } from "@/lib/config";
import { rmSync, writeFileSync } from "node:fs";
import { warmRollups } from "@/lib/analytics/rollups/warm";
import { appStatementTimeoutMs, openDb, servedPgliteOptions, SERVED_PGLITE_URL, setDbHandle, type DbHandle } from "@/lib/db/client";
import { PgliteBusyError } from "@/lib/db/pglite-owner";
import { startForwarder, type ForwardLoop } from "@/lib/forwarding/loop";
import { prepareDatabase, signInLines } from "./prepare";
import { createFrontServer } from "./front-server";
import { serveEmbedded, type ServedEmbedded } from "./serve-embedded";

/**
 * `npm run dev` / `npm start`: validate the configuration, prepare the database (migrations,
 * first admin, demo data), then run Next.js.
 *
 * Without DATABASE_URL this process owns the embedded PGlite (lock file), serves it on a Unix
 * socket inside DATA_DIR (mode 0600: only the data's owner can connect), and gives Next.js that
 * socket (UTMD_PGLITE_SOCKET); `npm run utm` finds it in DATA_DIR/pglite.server.json. PGlite is
 * closed only after Next.js has exited, and on every signal, so the data directory is never left
 * half-written. The Next.js child watches its parent (parent-watch.cjs) and exits when this
 * process dies, even by `kill -9`, so no orphan keeps the port.
 */

/**
 * NODE_OPTIONS for the Next.js child: its existing options plus child-preload.cjs (the peer
 * address header and the parent watch), which thereby reaches next dev's server worker too.
 */
export function childNodeOptions(existing: string | undefined): string {
  const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), "child-preload.cjs");
  return [existing?.trim(), `--require ${JSON.stringify(preload)}`].filter(Boolean).join(" ");
}

export type Mode = "dev" | "start";

/**
 * `npm start` answers POST/OPTIONS /api/collect in this process (front-server.ts) and proxies the
 * rest to Next.js on an internal port; UTMD_FAST_COLLECT=0 turns that off (Next.js on PORT, as
 * `npm run dev` always runs).
 */
export function usesFrontServer(mode: Mode, env: NodeJS.ProcessEnv): boolean {
  return mode === "start" && env.UTMD_FAST_COLLECT !== "0";
}

/** A free TCP port on 127.0.0.1 for the Next.js child behind the front server. */
async function freeLoopbackPort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no loopback port");
  return address.port;
}

/** Defaults that depend on how the app is started (SPEC 1); explicit variables always win. */
export function applyRuntimeDefaults(mode: Mode, env: NodeJS.ProcessEnv): void {
  if (mode === "dev" && !env.DEMO_DATA) env.DEMO_DATA = "1";
  if (!env.APP_URL) env.APP_URL = `http://localhost:${env.PORT || "3000"}`;
  // next-auth v4 builds its callback URLs from NEXTAUTH_URL.
  if (!env.NEXTAUTH_URL) env.NEXTAUTH_URL = env.APP_URL;
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

export async function runApp(mode: Mode): Promise<void> {
  applyRuntimeDefaults(mode, process.env);
  resetConfig();
  let cfg;
  try {
    cfg = config();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = (line: string) => console.log(`[utmd] ${line}`);

  let handle: DbHandle;
  let served: ServedEmbedded | undefined;
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  let databaseLine: string;

  try {
    if (cfg.databaseUrl) {
      handle = await openDb({ kind: "postgres", url: cfg.databaseUrl, max: 2 });
      databaseLine = `PostgreSQL (${redact(cfg.databaseUrl)})`;
    } else {
      const dir = path.join(cfg.dataDir, "pglite");
      handle = await openDb({ kind: "pglite", dataDir: dir });
      databaseLine = `embedded PGlite in ${dir}`;
    }
  } catch (err) {
    console.error(err instanceof PgliteBusyError ? err.message : `Cannot open the database: ${(err as Error).message}`);
    process.exit(1);
  }

  let prepared;
  try {
    prepared = await prepareDatabase(handle, cfg, log);
  } catch (err) {
    console.error(`Start-up failed: ${(err as Error).message}`);
    await handle.close().catch(() => {});
    process.exit(1);
  }

  const front = usesFrontServer(mode, process.env);
  /** The handle of this process's collect fast path (front-server.ts), when it runs one. */
  let collectHandle: DbHandle | undefined;
  if (cfg.databaseUrl) {
    // Next.js opens its own pool; this process keeps one only for the collect fast path, with the
    // app's statement timeout (a database that is not well answers 503 within 5 s, SPEC 10).
    await handle.close();
    if (front) {
      collectHandle = await openDb({ kind: "postgres", url: cfg.databaseUrl, max: 4, statementTimeoutMs: appStatementTimeoutMs() });
    }
  } else {
    // drizzle keeps the driver's client on $client: the PGlite instance to serve.
    const pglite = (handle.db as unknown as { $client: PGlite }).$client;
    try {
      served = await serveEmbedded(pglite, cfg.dataDir, log);
    } catch (err) {
      console.error(`Cannot serve the embedded database: ${(err as Error).message}`);
      await handle.close().catch(() => {});
      process.exit(1);
    }
    childEnv.DATABASE_URL = SERVED_PGLITE_URL;
    childEnv.UTMD_PGLITE_SOCKET = served.socket;
    databaseLine += ` (served to the app on ${served.socket}; npm run utm goes through it)`;
    if (front) {
      // Through the socket like Next.js, not the PGlite handle itself: the socket server runs
      // each client's transaction alone, and a direct query could land inside Next's open one.
      collectHandle = await openDb(servedPgliteOptions(served, "PGlite (served by this app)"));
    }
  }
  if (collectHandle) setDbHandle(collectHandle);

  const banner = [
    "",
    "──────────────────────────────────────────────────────────────",
    `  UTM Dispatcher is running: ${cfg.appUrl}/dispatcher`,
    `  Database:  ${databaseLine}`,
    ...(prepared.demo.loaded ? [`  Demo data: ${prepared.demo.sessions.toLocaleString("en-US")} sessions loaded`] : []),
    "  Sign in:",
    ...signInLines(prepared.admin),
    "──────────────────────────────────────────────────────────────",
    "",
  ].join("\n");

  // The child only talks to the front server, which closes idle connections sooner (30 s), so
  // the child never closes one the front server is about to reuse.
  const CHILD_KEEP_ALIVE_MS = 65_000;
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  // child-preload.cjs: peer-header.cjs stamps each request with its socket address (x-utmd-peer)
  // for sign-in limits; parent-watch.cjs ends the child when this process dies.
  const publicPort = Number(process.env.PORT || "3000");
  const internalPort = front ? Number(process.env.UTMD_NEXT_PORT) || (await freeLoopbackPort()) : publicPort;
  const args = [nextBin, mode, "--port", String(internalPort), ...(front ? ["--hostname", "127.0.0.1", "--keepAliveTimeout", String(CHILD_KEEP_ALIVE_MS)] : [])];
  const secret = randomBytes(24).toString("hex");
  if (front) childEnv.UTMD_FRONT_SECRET = secret;
  // Not under `next dev`: Turbopack's Node worker pool inherits NODE_OPTIONS, and with the preload
  // its PostCSS worker never answered, so no page compiled (seen on a fresh clone). Production
  // (`npm start`) keeps the peer header and the parent watch.
  if (mode === "start") {
    childEnv.NODE_OPTIONS = childNodeOptions(childEnv.NODE_OPTIONS);
    childEnv.UTMD_WATCH_PARENT = String(process.pid);
  }
  const child: ChildProcess = spawn(process.execPath, args, { env: childEnv, stdio: ["inherit", "pipe", "inherit"] });

  // Echo Next.js's output and show the sign-in banner once it says it is ready.
  let bannerShown = false;
  const showBanner = () => {
    if (bannerShown) return;
    bannerShown = true;
    console.log(banner);
  };
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (/Ready in|ready started|Local:/i.test(chunk.toString())) {
      markReady();
      setTimeout(showBanner, 50);
    }
  });
  // Requests that reach Next.js wait for it (at most a minute); collect is answered at once.
  setTimeout(markReady, 60_000).unref();
  const frontServer = front ? createFrontServer({ port: publicPort, upstream: { host: "127.0.0.1", port: internalPort, secret, ready } }) : undefined;
  if (frontServer) {
    frontServer.on("error", (err) => {
      console.error(`Cannot listen on port ${publicPort}: ${err.message}`);
      child.kill("SIGTERM");
    });
    frontServer.listen(publicPort);
    log(`collect fast path on port ${publicPort}; Next.js behind it on 127.0.0.1:${internalPort}`);
  }
  setTimeout(showBanner, 60_000).unref();
  // The CLI's e-mails link here when APP_URL and PORT are unset (config.ts appUrlDefault).
  const appServerFile = path.join(cfg.dataDir, APP_SERVER_FILE);
  try {
    writeFileSync(appServerFile, JSON.stringify({ pid: process.pid, url: cfg.appUrl }) + "\n");
  } catch {
    /* a read-only data directory: the CLI falls back to PORT / :3000 */
  }
  // Production: the day cells of the unfiltered views, filled in the background once Next.js is
  // up, through a connection of their own (the socket for the embedded database, like Next).
  let warmHandle: DbHandle | undefined;
  if (mode === "start") {
    void ready.then(async () => {
      try {
        warmHandle = cfg.databaseUrl
          ? await openDb({ kind: "postgres", url: cfg.databaseUrl, max: 1, description: "rollup warm-up" })
          : await openDb(servedPgliteOptions(served!, "rollup warm-up"));
        const warmed = await warmRollups(warmHandle.db, cfg.timezone);
        log(`rollup cells ready (${warmed.views} views, ${(warmed.ms / 1000).toFixed(1)} s)`);
      } catch (err) {
        if (!stopping) log(`rollup warm-up stopped: ${(err as Error).message} (reports compute their cells on first use)`);
      } finally {
        await warmHandle?.close().catch(() => {});
        warmHandle = undefined;
      }
    });
  }

  // SPEC 19: the outbox sender, once Next.js is up (it writes the orders), on a connection of its
  // own; FORWARD_POLL_MS=0 leaves sending to GET /api/cron/forward.
  let forwarder: ForwardLoop | undefined;
  if (cfg.forwarding.pollMs > 0) {
    void ready.then(() => {
      if (stopping) return;
      forwarder = startForwarder(
        () => (cfg.databaseUrl ? openDb({ kind: "postgres", url: cfg.databaseUrl, max: 1, description: "forwarding" }) : openDb(servedPgliteOptions(served!, "forwarding"))),
        { everyMs: cfg.forwarding.pollMs, log },
      );
    });
  }

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      if (frontServer?.listening) {
        const closed = new Promise<void>((resolve) => frontServer.close(() => resolve()));
        frontServer.closeAllConnections();
        await closed;
      }
      setDbHandle(undefined);
      await forwarder?.stop();
      await warmHandle?.close().catch(() => {});
      await collectHandle?.close();
      await served?.stop();
      await handle.close();
      rmSync(appServerFile, { force: true });
    } catch (err) {
      console.error(`[utmd] closing the database: ${(err as Error).message}`);
      code = code || 1;
    }
    process.exit(code);
  };

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        // Next.js normally exits at once; never leave the database open behind a stuck child.
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      } else void shutdown(0);
    });
  }
  child.on("exit", (code, signal) => void shutdown(signal ? 0 : (code ?? 1)));
  child.on("error", (err) => {
    console.error(`Cannot start Next.js: ${err.message}`);
    void shutdown(1);
  });
}
