import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { childNodeOptions } from "@/lib/runtime/run-app";

/**
 * Issue 10 item 7: after a `kill -9` of the `npm run dev`/`npm start` owner, its Next.js child
 * must not keep the port. run-app preloads parent-watch.cjs into the child (NODE_OPTIONS); here
 * a stand-in owner starts a stand-in child the same way (a TCP server), then is killed with
 * SIGKILL: the child must exit by itself and the port be free again.
 */

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the Next.js child dies with its parent", () => {
  it("a SIGKILL of the owner makes the child exit and free its port within 5 s", async () => {
    const childCode = `require("net").createServer().listen(0, "127.0.0.1", function () { console.log("child " + process.pid + " " + this.address().port); })`;
    const ownerCode = `
      const { spawn } = require("child_process");
      const env = { ...process.env, NODE_OPTIONS: ${JSON.stringify(childNodeOptions(undefined))}, UTMD_WATCH_PARENT: String(process.pid) };
      const c = spawn(process.execPath, ["-e", ${JSON.stringify(childCode)}], { env, stdio: ["ignore", "inherit", "inherit"] });
      setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ["-e", ownerCode], { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      owner.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /child (\d+) (\d+)/.exec(out);
        if (m) resolve(m[0]);
      });
      owner.on("exit", () => reject(new Error(`owner exited early: ${out}`)));
    });
    const [, pid, port] = line.split(" ").map(Number);
    expect(alive(pid)).toBe(true);

    process.kill(owner.pid!, "SIGKILL");
    const t0 = Date.now();
    while (alive(pid) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
    // The port is free: this process can listen on it.
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => s.close(() => resolve()));
    });
  }, 30_000);

  it("without the watch variable the preload does nothing (the CLI and tests are unaffected)", async () => {
    const code = `setTimeout(() => { console.log("still here"); process.exit(0); }, 700)`;
    const p = spawn(process.execPath, ["-e", code], {
      env: { ...process.env, NODE_OPTIONS: childNodeOptions(undefined), UTMD_WATCH_PARENT: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const code2 = await new Promise<number | null>((r) => p.on("exit", r));
    expect([code2, out.trim()]).toEqual([0, "still here"]);
  }, 30_000);
});
