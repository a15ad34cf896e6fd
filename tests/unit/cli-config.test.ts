import { describe, expect, it } from "vitest";
import { config, ConfigError, parseConfig } from "@/lib/config";
import { applyRuntimeDefaults } from "@/lib/runtime/run-app";
import { overrideConfig, overrideProcessEnv, withConfig } from "../helpers/config";

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

describe("test overrides (tests/helpers/config.ts)", () => {
  it("lays variables over the environment without writing process.env, nests, and restores last-in first-out", async () => {
    // vitest.config.ts sets APP_CURRENCY=UAH and no CRON_SECRET.
    expect([config().currency, config().cronSecret, process.env.APP_CURRENCY]).toEqual(["UAH", undefined, "UAH"]);
    const outer = overrideConfig({ APP_CURRENCY: "EUR", CRON_SECRET: "outer" });
    expect([config().currency, config().cronSecret, process.env.APP_CURRENCY, process.env.CRON_SECRET]).toEqual(["EUR", "outer", "UAH", undefined]);
    // Inner layer: unsets CRON_SECRET (undefined) and keeps the outer EUR.
    await withConfig({ CRON_SECRET: undefined, ATTRIBUTION_WINDOW_DAYS: "7" }, () => {
      expect([config().currency, config().cronSecret, config().attributionWindowDays]).toEqual(["EUR", undefined, 7]);
    });
    expect([config().currency, config().cronSecret, config().attributionWindowDays]).toEqual(["EUR", "outer", 30]);
    outer();
    expect([config().currency, config().cronSecret]).toEqual(["UAH", undefined]);
    // A bad value is refused by config() as at start, and restored however the body ends.
    await expect(withConfig({ APP_CURRENCY: "euro" }, () => config())).rejects.toThrow(/^Invalid configuration: APP_CURRENCY: /);
    expect(config().currency).toBe("UAH");
  });

  it("overrideProcessEnv sets and unsets the runtime's own variables and puts back what was there", () => {
    const before = process.env.UTMD_PEER_HEADER;
    const restore = overrideProcessEnv({ UTMD_PEER_HEADER: "1", UTMD_FRONT_SECRET: undefined });
    expect([process.env.UTMD_PEER_HEADER, process.env.UTMD_FRONT_SECRET]).toEqual(["1", undefined]);
    restore();
    expect(process.env.UTMD_PEER_HEADER).toBe(before);
    expect("UTMD_FRONT_SECRET" in process.env).toBe(false);
  });
});
