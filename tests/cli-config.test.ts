import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";
import { applyRuntimeDefaults } from "@/lib/runtime/run-app";

const base: NodeJS.ProcessEnv = { NODE_ENV: "test", DATA_DIR: ".data/test", AUTH_SECRET: "test-secret-test-secret-0123456789" };

describe("configuration at start-up", () => {
  it("a wrong value throws naming the variable", () => {
    expect(() => parseConfig({ ...base, APP_TIMEZONE: "Mars/Base" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, APP_TIMEZONE: "Mars/Base" })).toThrow(
      "Invalid configuration: APP_TIMEZONE: must be an IANA time zone such as Europe/Kyiv",
    );
    expect(() => parseConfig({ ...base, ATTRIBUTION_WINDOW_DAYS: "ten" })).toThrow(/^Invalid configuration: ATTRIBUTION_WINDOW_DAYS: /);
    expect(() => parseConfig({ ...base, DEMO_DATA: "yes" })).toThrow(/^Invalid configuration: DEMO_DATA: /);
  });

  it("npm run dev loads demo data by default, npm start does not, an explicit DEMO_DATA wins", () => {
    const dev: NodeJS.ProcessEnv = { ...base };
    applyRuntimeDefaults("dev", dev);
    expect(parseConfig(dev).demoData).toBe(true);
    const start: NodeJS.ProcessEnv = { ...base };
    applyRuntimeDefaults("start", start);
    expect(parseConfig(start).demoData).toBe(false);
    const off: NodeJS.ProcessEnv = { ...base, DEMO_DATA: "0" };
    applyRuntimeDefaults("dev", off);
    expect(parseConfig(off).demoData).toBe(false);
  });

  it("derives APP_URL and NEXTAUTH_URL from PORT only when they are unset", () => {
    const env: NodeJS.ProcessEnv = { ...base, PORT: "3100" };
    applyRuntimeDefaults("dev", env);
    expect([env.APP_URL, env.NEXTAUTH_URL]).toEqual(["http://localhost:3100", "http://localhost:3100"]);
    const set: NodeJS.ProcessEnv = { ...base, PORT: "3100", APP_URL: "https://stats.shop.ua" };
    applyRuntimeDefaults("start", set);
    expect([set.APP_URL, set.NEXTAUTH_URL]).toEqual(["https://stats.shop.ua", "https://stats.shop.ua"]);
  });
});
