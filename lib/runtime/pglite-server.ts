import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves an embedded PGlite over the PostgreSQL wire protocol on 127.0.0.1, so the Next.js app
 * and `npm run utm` can share the one database the dev/start script owns.
 *
 * Why not `PGLiteSocketServer` from @electric-sql/pglite-socket: with more than one connection it
 * interleaves single protocol messages of different clients, so connection A's Bind/Execute can
 * run against connection B's unnamed portal, and a client's error-skip-until-Sync can swallow the
 * other's messages. PGlite has ONE backend, so correctness needs whole message groups: this
 * server buffers each connection's messages up to a group end (Sync, simple Query, Flush) and
 * runs the group under PGlite's query mutex. While a connection holds an open transaction, only
 * that connection's groups run; the others wait. A connection that goes away inside a
 * transaction is rolled back.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Message types after which the client waits for an answer. */
const GROUP_END = new Set(["S", "Q", "H", "c", "f"]);

type Job = { conn: Connection; messages: Uint8Array[] };

export type PgliteServer = { port: number; connections: () => number; stop: () => Promise<void> };

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Uint8Array[] = [];
  closed = false;
  /** Sent a Flush and will continue the same extended query: nobody may interleave. */
  midQuery = false;

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
          this.socket.destroy();
          return;
        }
        this.started = true;
        this.submit({ conn: this, messages: [new Uint8Array(packet)] });
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = String.fromCharCode(this.buffer[0]);
      const len = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < len) return;
      const message = new Uint8Array(this.buffer.subarray(0, len));
      this.buffer = this.buffer.subarray(len);
      if (type === "X") {
        this.socket.end(); // Terminate: never forwarded, it would end the one shared backend
        return;
      }
      this.pending.push(message);
      if (GROUP_END.has(type)) {
        this.midQuery = type === "H";
        this.submit({ conn: this, messages: this.pending });
        this.pending = [];
      }
    }
  }

  write(data: Uint8Array): void {
    if (!this.closed && this.socket.writable && data.length > 0) this.socket.write(data);
  }
}

export async function servePglite(db: PGlite, opts: { host?: string; port?: number } = {}): Promise<PgliteServer> {
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
            for (const m of current.messages) {
              await db.execProtocolRawStream(m, { onRawData: (d) => current.conn.write(d) });
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
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("pglite-server: no TCP address");

  return {
    port: address.port,
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
