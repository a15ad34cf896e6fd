import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { APP_SERVER_FILE, ConfigError, parseConfig } from "@/lib/config";
import { dashboardUrl } from "@/lib/reports/build-report";

/**
 * Issue 22: STATEMENT_TIMEOUT_MS is the setting (SPEC 21, default 10 s; the former
 * APP_STATEMENT_TIMEOUT_MS still read), and e-mail links follow the port the app runs on when
 * APP_URL is unset: PORT, else the URL the running app noted in DATA_DIR, else :3000.
 */

const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "utmd-cfg-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const base = (dir: string): NodeJS.ProcessEnv => ({ NODE_ENV: "test", AUTH_SECRET: "x".repeat(32), DATA_DIR: dir });

describe("STATEMENT_TIMEOUT_MS", () => {
  it("defaults to 10 s; the former name is read; the new name wins; a wrong value names the variable", () => {
    const dir = dataDir();
    expect(parseConfig(base(dir)).statementTimeoutMs).toBe(10_000);
    expect(parseConfig({ ...base(dir), APP_STATEMENT_TIMEOUT_MS: "4000" }).statementTimeoutMs).toBe(4_000);
    expect(parseConfig({ ...base(dir), APP_STATEMENT_TIMEOUT_MS: "4000", STATEMENT_TIMEOUT_MS: "2500" }).statementTimeoutMs).toBe(2_500);
    expect(() => parseConfig({ ...base(dir), STATEMENT_TIMEOUT_MS: "10s" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base(dir), STATEMENT_TIMEOUT_MS: "50" })).toThrow(/^Invalid configuration: STATEMENT_TIMEOUT_MS: /);
  });
});

describe("the app's URL in e-mails without APP_URL", () => {
  it("PORT gives http://localhost:PORT, so the report's dashboard link points there", () => {
    const cfg = parseConfig({ ...base(dataDir()), PORT: "3320" });
    expect(cfg.appUrl).toBe("http://localhost:3320");
    expect(dashboardUrl({ start: "2026-03-02", end: "2026-03-08" }, cfg.appUrl)).toBe(
      "http://localhost:3320/dispatcher?start_date=2026-03-02&end_date=2026-03-08",
    );
  });

  it("the CLI without PORT uses the URL the running app noted; a dead app's note is ignored", () => {
    const dir = dataDir();
    const note = (pid: number) => writeFileSync(path.join(dir, APP_SERVER_FILE), JSON.stringify({ pid, url: "http://localhost:4123" }));
    expect(parseConfig(base(dir)).appUrl).toBe("http://localhost:3000");
    note(process.pid); // this process stands for the running app
    expect(parseConfig(base(dir)).appUrl).toBe("http://localhost:4123");
    note(2 ** 22 + 12345); // above Linux's pid_max: no such process
    expect(parseConfig(base(dir)).appUrl).toBe("http://localhost:3000");
  });

  it("APP_URL always wins, and a wrong PORT names the variable", () => {
    expect(parseConfig({ ...base(dataDir()), PORT: "3320", APP_URL: "https://stats.shop.example/" }).appUrl).toBe("https://stats.shop.example");
    expect(() => parseConfig({ ...base(dataDir()), PORT: "http" })).toThrow(/^Invalid configuration: PORT: /);
  });
});
