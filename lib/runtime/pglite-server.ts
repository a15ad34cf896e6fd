import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves an embedded PGlite over the PostgreSQL wire protocol, so the Next.js app and
 * `npm run utm` can share the one database the dev/start script owns.
 *
 * Safety (SPEC 16, issue 10 item 7). The app and the CLI listen on a Unix socket inside the data
 * directory (`<dir>/.s.PGSQL.5432` in a 0700 directory, the socket itself 0600), so only the
 * user owning the data can connect: PGlite has no authentication of its own. TCP on 127.0.0.1 is
 * kept for tests only. Sub-protocols the single backend cannot serve are answered with an error
 * that leaves it working: `COPY … FROM STDIN` (refused before it reaches PGlite, whose backend
 * would exit; the client's CopyData/CopyDone are dropped), replication start-ups (FATAL), cancel
 * requests (closed), SSL/GSS negotiation (answered "N").
 *
 * Why not `PGLiteSocketServer` from @electric-sql/pglite-socket: with more than one connection it
 * interleaves single protocol messages of different clients, so connection A's Bind/Execute can
 * run against connection B's unnamed portal, and a client's error-skip-until-Sync can swallow the
 * other's messages. PGlite has ONE backend, so correctness needs whole message groups: this
 * server buffers each connection's messages up to a group end (Sync, simple Query, Flush) and
 * runs the group under PGlite's query mutex. While a connection holds an open transaction, only
 * that connection's groups run; the others wait. A connection that goes away inside a
 * transaction is rolled back.
 * Size: over 300 lines for one concern, the wire-protocol server (message framing, per-connection
 * queues, the refusals above); its parts are meaningless apart.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Message types after which the client waits for an answer. */
const GROUP_END = new Set(["S", "Q", "H"]);
/** Copy sub-protocol messages from the client: never forwarded (COPY FROM STDIN is refused). */
const COPY_IN = new Set(["d", "c", "f"]);
/** Backend messages that put it in COPY IN / COPY BOTH mode, waiting for client data. */
const COPY_IN_RESPONSE = 0x47; // 'G'
const COPY_BOTH_RESPONSE = 0x57; // 'W'
/** Start-up packets larger than this are not PostgreSQL clients. */
const MAX_STARTUP = 10_000;
/** A message group larger than this is refused (protects the one backend from runaway clients). */
const MAX_GROUP_BYTES = 64 * 1024 * 1024;

/** A backend message: type byte, length, payload. */
function message(type: string, payload: Buffer): Uint8Array {
  const out = Buffer.alloc(5 + payload.length);
  out.write(type, 0, "latin1");
  out.writeInt32BE(4 + payload.length, 1);
  payload.copy(out, 5);
  return out;
}

/** An ErrorResponse (severity, SQLSTATE, message), as the client library reports it. */
export function errorResponse(severity: "ERROR" | "FATAL", code: string, text: string): Uint8Array {
  const field = (t: string, v: string) => Buffer.concat([Buffer.from(t, "latin1"), Buffer.from(v, "utf8"), Buffer.from([0])]);
  return message("E", Buffer.concat([field("S", severity), field("V", severity), field("C", code), field("M", text), Buffer.from([0])]));
}

/** Start-up parameters (key/value pairs after the protocol code). */
function startupParams(packet: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const parts = packet.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) out.set(parts[i], parts[i + 1]);
  return out;
}

/**
 * COPY … FROM STDIN makes PGlite's single-user backend exit (the whole database is gone until
 * restart), so a message group whose query text could start one is never forwarded: the backend
 * runs REFUSE_COPY instead, which fails the same way a refused statement does (ErrorResponse, and
 * a failed transaction when one is open). Broad on purpose: a false positive is an error, a miss
 * a dead database.
 */
const COPY_FROM_STDIN = /\bcopy\b[\s\S]*\bfrom\b[\s\S]*\bstdin\b/i;
const REFUSE_COPY_TEXT = "COPY FROM STDIN is not supported by the embedded database; use npm run utm -- import";
const REFUSE_COPY = (() => {
  const q = `DO $$BEGIN RAISE EXCEPTION '${REFUSE_COPY_TEXT}' USING ERRCODE = 'feature_not_supported'; END$$`;
  return message("Q", Buffer.concat([Buffer.from(q, "utf8"), Buffer.from([0])]));
})();

/** Whether a Query or Parse message carries COPY … FROM STDIN. */
function startsCopyIn(type: string, m: Uint8Array): boolean {
  if (type !== "Q" && type !== "P") return false;
  return COPY_FROM_STDIN.test(Buffer.from(m.buffer, m.byteOffset + 5, m.length - 5).toString("utf8"));
}

/** Backend output without its ErrorResponse messages (the client was already told). */
function withoutErrors(data: Uint8Array): Uint8Array {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  const keep: Buffer[] = [];
  for (let i = 0; i + 5 <= buf.length; ) {
    const len = 1 + buf.readInt32BE(i + 1);
    if (buf[i] !== 0x45) keep.push(buf.subarray(i, i + len));
    i += len;
  }
  return new Uint8Array(Buffer.concat(keep));
}

/**
 * A group of messages to run. `refuse`: the group would start COPY FROM STDIN; run REFUSE_COPY
 * instead ("reply" forwards its error and ReadyForQuery; "ready" forwards only the
 * ReadyForQuery, after a Sync, when the error was already sent in answer to a Flush).
 */
type Job = { conn: Connection; messages: Uint8Array[]; refuse?: "reply" | "ready" };

/** Where the server listens: `socket` is a Unix socket path (the app), `port` TCP on 127.0.0.1 (tests). */
export type PgliteServer = { port: number; socket?: string; connections: () => number; stop: () => Promise<void> };

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  closed = false;
  /** Sent a Flush and will continue the same extended query: nobody may interleave. */
  midQuery = false;
  /** The pending group would start COPY FROM STDIN. */
  private copyIn = false;
  /** A refused COPY was answered at a Flush: drop messages up to the client's Sync. */
  private skipToSync = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly submit: (job: Job) => void,
  ) {}

  onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        // Untyped start-up packets: length, then a code.
        if (this.buffer.length < 8) return;
        const len = this.buffer.readInt32BE(0);
        if (len < 8 || len > MAX_STARTUP) {
          this.socket.destroy();
          return;
        }
        if (this.buffer.length < len) return;
        const code = this.buffer.readInt32BE(4);
        const packet = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write("N"); // no TLS on a loopback socket
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end(); // not supported; the query simply finishes
          return;
        }
        if (code !== PROTOCOL_3) {
          this.socket.end(errorResponse("FATAL", "0A000", "unsupported frontend protocol: the embedded database speaks protocol 3.0 only"));
          return;
        }
        if (startupParams(packet).has("replication")) {
          this.socket.end(errorResponse("FATAL", "0A000", "replication is not supported by the embedded database"));
          return;
        }
        this.started = true;
        this.submit({ conn: this, messages: [new Uint8Array(packet)] });
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = String.fromCharCode(this.buffer[0]);
      const len = 1 + this.buffer.readInt32BE(1);
      if (len < 5 || this.pendingBytes + len > MAX_GROUP_BYTES) {
        this.socket.end(errorResponse("FATAL", "54000", "message too large for the embedded database"));
        this.buffer = Buffer.alloc(0);
        return;
      }
      if (this.buffer.length < len) return;
      const message = new Uint8Array(this.buffer.subarray(0, len));
      this.buffer = this.buffer.subarray(len);
      if (type === "X") {
        this.socket.end(); // Terminate: never forwarded, it would end the one shared backend
        return;
      }
      // COPY FROM STDIN is refused before it starts: its data has nowhere to go.
      if (COPY_IN.has(type)) continue;
      if (this.skipToSync) {
        if (type === "S") {
          this.skipToSync = false;
          this.submit({ conn: this, messages: [], refuse: "ready" });
        }
        continue;
      }
      if (startsCopyIn(type, message)) this.copyIn = true;
      this.pending.push(message);
      this.pendingBytes += len;
      if (GROUP_END.has(type)) {
        if (this.copyIn) {
          if (type === "H") {
            // Like a backend that failed at Parse: the error now, then nothing until Sync.
            this.write(errorResponse("ERROR", "0A000", REFUSE_COPY_TEXT));
            this.skipToSync = true;
            this.midQuery = false;
          } else {
            this.submit({ conn: this, messages: [], refuse: "reply" });
          }
        } else {
          this.midQuery = type === "H";
          this.submit({ conn: this, messages: this.pending });
        }
        this.copyIn = false;
        this.pending = [];
        this.pendingBytes = 0;
      }
    }
  }

  write(data: Uint8Array): void {
    if (!this.closed && this.socket.writable && data.length > 0) this.socket.write(data);
  }
}

/** Longest Unix socket path the platform accepts (sun_path is 108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 103;

/**
 * The Unix socket `npm run dev`/`npm start` serve on: `.s.PGSQL.5432` in a 0700 directory inside
 * the data directory; when that path is too long for a socket, a fresh 0700 directory under the
 * system temp directory (its path is written to pglite.server.json like the other).
 */
export function pgliteSocketPath(dataDir: string): string {
  const inData = path.join(path.resolve(dataDir), "pglite.sock", ".s.PGSQL.5432");
  if (Buffer.byteLength(inData) <= MAX_SOCKET_PATH) return inData;
  return path.join(mkdtempSync(path.join(tmpdir(), "utmd-")), ".s.PGSQL.5432");
}

export async function servePglite(
  db: PGlite,
  opts: { host?: string; port?: number; socket?: string } = {},
): Promise<PgliteServer> {
  if (opts.socket) {
    if (Buffer.byteLength(opts.socket) > MAX_SOCKET_PATH) {
      throw new Error(`pglite-server: the socket path ${opts.socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter DATA_DIR`);
    }
    const dir = path.dirname(opts.socket);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    // The caller holds the PGlite lock: a socket file left by a killed owner is stale.
    if (existsSync(opts.socket) && lstatSync(opts.socket).isSocket()) rmSync(opts.socket);
  }
  const queue: Job[] = [];
  const conns = new Set<Connection>();
  /** The connection whose transaction is open, if any: only its jobs may run. */
  let owner: Connection | undefined;
  let running = false;
  let nextId = 1;

  const pick = (): Job | undefined => {
    const i = owner ? queue.findIndex((j) => j.conn === owner) : 0;
    return i >= 0 && i < queue.length ? queue.splice(i, 1)[0] : undefined;
  };

  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (let job = pick(); job; job = pick()) {
        const current = job;
        if (current.conn.closed) continue;
        try {
          await db.runExclusive(async () => {
            if (current.refuse) {
              // The whole refused group's answer: the error (unless already sent) and ReadyForQuery.
              const ready = current.refuse === "ready";
              const out = await db.execProtocolRaw(REFUSE_COPY);
              current.conn.write(ready ? withoutErrors(out) : out);
              return;
            }
            for (const m of current.messages) {
              // A copy: the chunk is a view of PGlite's memory, reused for the next chunk, and a
              // socket under backpressure keeps the buffer it was given until it can send it (a
              // large answer, e.g. day cells, came out corrupted without the copy).
              await db.execProtocolRawStream(m, { onRawData: (d) => current.conn.write(Uint8Array.prototype.slice.call(d)) });
            }
          });
        } catch (err) {
          // SQL errors come back as protocol messages; a throw here is a broken connection.
          console.error(`[pglite-server] connection ${current.conn.id}:`, err);
          current.conn.socket.destroy();
          current.conn.closed = true;
          current.conn.midQuery = false;
        }
        owner = db.isInTransaction() || current.conn.midQuery ? current.conn : undefined;
        if (owner?.closed) await rollback(owner);
      }
    } finally {
      running = false;
    }
  };

  const rollback = async (conn: Connection): Promise<void> => {
    if (owner !== conn) return;
    owner = undefined;
    // exec takes PGlite's query mutex itself (it is not re-entrant: never inside runExclusive).
    if (db.isInTransaction()) await db.exec("ROLLBACK");
  };

  const submit = (job: Job) => {
    queue.push(job);
    void pump();
  };

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    const conn = new Connection(nextId++, socket, submit);
    conns.add(conn);
    socket.on("data", (chunk: Buffer) => conn.onData(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      conn.closed = true;
      conns.delete(conn);
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i].conn === conn) queue.splice(i, 1);
      // Its open transaction would block every other client: undo it.
      if (owner === conn && !running) void rollback(conn).then(pump);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (opts.socket) server.listen(opts.socket, () => resolve());
    else server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  let port = 0;
  if (opts.socket) {
    chmodSync(opts.socket, 0o600);
  } else {
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("pglite-server: no TCP address");
    port = address.port;
  }

  return {
    port,
    socket: opts.socket,
    connections: () => conns.size,
    stop: async () => {
      for (const c of conns) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Let a running group finish before the caller closes PGlite.
      while (running) await new Promise((r) => setTimeout(r, 20));
      if (db.isInTransaction()) await db.exec("ROLLBACK");
    },
  };
}
