import { readFileSync } from "node:fs";
import vm from "node:vm";
import { describe, expect, it } from "vitest";

/**
 * integrations/gtm/template.tpl (SPEC 17.3): a Google Tag Manager custom template in GTM's export
 * format (sections ___INFO___, ___TEMPLATE_PARAMETERS___, ___SANDBOXED_JS_FOR_WEB_TEMPLATE___,
 * ___WEB_PERMISSIONS___ …). The sandboxed code is run with stand-ins for GTM's APIs, and every
 * URL it injects and every global it touches must be granted by the permissions section, as GTM
 * enforces.
 */

const TPL = readFileSync("integrations/gtm/template.tpl", "utf8");

function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/^___([A-Z_]+)___$/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], parts[i + 1].trim());
  return out;
}

type Value = { type: number; string?: string; boolean?: boolean; listItem?: Value[]; mapKey?: Value[]; mapValue?: Value[] };
type Permission = { instance: { key: { publicId: string }; param: { key: string; value: Value }[] }; isRequired: boolean };

/** GTM's typed values (1 string, 2 list, 3 map, 8 boolean) as plain JSON. */
function plain(v: Value): unknown {
  if (v.type === 1) return v.string;
  if (v.type === 8) return v.boolean;
  if (v.type === 2) return (v.listItem ?? []).map(plain);
  if (v.type === 3) return Object.fromEntries((v.mapKey ?? []).map((k, i) => [plain(k), plain(v.mapValue![i])]));
  throw new Error(`unknown value type ${v.type}`);
}

const s = sections(TPL);
const permissions = JSON.parse(s.get("WEB_PERMISSIONS")!) as Permission[];
const param = (id: string, key: string) => {
  const p = permissions.find((x) => x.instance.key.publicId === id);
  const v = p?.instance.param.find((x) => x.key === key)?.value;
  return v ? plain(v) : undefined;
};
const injectUrls = param("inject_script", "urls") as string[];
const globals = param("access_globals", "keys") as { key: string; read: boolean; write: boolean; execute: boolean }[];

/** GTM URL match patterns: `*` in the host stands for any host name. */
const allowedUrl = (url: string) =>
  injectUrls.some((pattern) => new RegExp(`^${pattern.replace(/[.?+^$()[\]{}|\\]/g, "\\$&").replace(/\*/g, "[^/]+")}$`).test(url));
const granted = (key: string, need: "read" | "write") => globals.some((g) => g.key === key && g[need]);

/** Runs the template's code as GTM would, with its APIs recorded; `window` is the page's globals. */
function runTemplate(data: Record<string, unknown>, window: Record<string, unknown> = {}) {
  const calls: [string, ...unknown[]][] = [];
  const apis: Record<string, (...args: unknown[]) => unknown> = {
    injectScript: (url, onSuccess) => {
      calls.push(["injectScript", url]);
      if (!allowedUrl(url as string)) throw new Error(`inject_script does not allow ${String(url)}`);
      (onSuccess as () => void)();
    },
    setInWindow: (key, value, override) => {
      calls.push(["setInWindow", key, value, override]);
      if (!granted(key as string, "write")) throw new Error(`access_globals does not allow writing ${String(key)}`);
      window[key as string] = value;
    },
    copyFromWindow: (key) => {
      calls.push(["copyFromWindow", key]);
      if (!granted(key as string, "read")) throw new Error(`access_globals does not allow reading ${String(key)}`);
      return window[key as string] === undefined ? undefined : structuredClone(window[key as string]);
    },
    createQueue: (key) => {
      calls.push(["createQueue", key]);
      if (!granted(key as string, "read") || !granted(key as string, "write")) throw new Error(`createQueue needs read and write on ${String(key)}`);
      const q = (window[key as string] ??= []) as unknown[];
      return (x: unknown) => q.push(x);
    },
    encodeUri: (u) => encodeURI(u as string),
  };
  let outcome = "";
  const ctx = vm.createContext({
    require: (name: string) => {
      if (!apis[name]) throw new Error(`the template requires ${name}, which this test does not know`);
      return apis[name];
    },
    data: { ...data, gtmOnSuccess: () => (outcome = "success"), gtmOnFailure: () => (outcome = "failure") },
  });
  vm.runInContext(s.get("SANDBOXED_JS_FOR_WEB_TEMPLATE")!, ctx);
  return { calls, outcome, window };
}

describe("GTM custom template (integrations/gtm/template.tpl)", () => {
  it("has GTM's sections, a web tag, and the app URL field validated as https", () => {
    expect([...s.keys()]).toEqual([
      "TERMS_OF_SERVICE",
      "INFO",
      "TEMPLATE_PARAMETERS",
      "SANDBOXED_JS_FOR_WEB_TEMPLATE",
      "WEB_PERMISSIONS",
      "TESTS",
      "NOTES",
    ]);
    const info = JSON.parse(s.get("INFO")!) as { type: string; containerContexts: string[] };
    expect([info.type, info.containerContexts]).toEqual(["TAG", ["WEB"]]);
    const params = JSON.parse(s.get("TEMPLATE_PARAMETERS")!) as { name: string; type: string; defaultValue?: unknown; valueValidators?: { type: string; args?: string[] }[] }[];
    expect(params.map((p) => [p.name, p.type])).toEqual([
      ["appUrl", "TEXT"],
      ["readDataLayer", "CHECKBOX"],
    ]);
    expect(params[1].defaultValue).toBe(true);
    const re = new RegExp(params[0].valueValidators!.find((v) => v.type === "REGEX")!.args![0]);
    expect(["https://analytics.example", "https://analytics.example/", "https://shop.example/utm"].map((u) => re.test(u))).toEqual([true, true, true]);
    expect(["http://analytics.example", "analytics.example", "https://", "https://a b"].map((u) => re.test(u))).toEqual([false, false, false, false]);
  });

  it("the permissions name the injected URL pattern and exactly the globals the code uses", () => {
    expect(permissions.map((p) => [p.instance.key.publicId, p.isRequired])).toEqual([
      ["inject_script", true],
      ["access_globals", true],
    ]);
    expect(injectUrls).toEqual(["https://*/t.js", "https://*/*/t.js"]);
    expect(globals).toEqual([
      { key: "utmdConfig", read: true, write: true, execute: false },
      { key: "dataLayer", read: true, write: true, execute: false },
    ]);
    // Every API the code requires is one these permissions cover (or needs none).
    const required = [...s.get("SANDBOXED_JS_FOR_WEB_TEMPLATE")!.matchAll(/require\('(\w+)'\)/g)].map((m) => m[1]).sort();
    expect(required).toEqual(["copyFromWindow", "createQueue", "encodeUri", "injectScript", "setInWindow"]);
  });

  it("loads https://<app>/t.js and sets utmdConfig.datalayer, keeping what the page already set", () => {
    const run = runTemplate({ appUrl: "https://analytics.example//", readDataLayer: true }, { utmdConfig: { other: 1 }, dataLayer: [{ event: "gtm.js" }] });
    expect(run.calls).toEqual([
      ["copyFromWindow", "utmdConfig"],
      ["setInWindow", "utmdConfig", { other: 1, datalayer: true }, true],
      ["createQueue", "dataLayer"],
      ["injectScript", "https://analytics.example/t.js"],
    ]);
    expect(run.outcome).toBe("success");
    expect(run.window.utmdConfig).toEqual({ other: 1, datalayer: true });
    // The page's dataLayer is left as it was (createQueue only makes sure it exists).
    expect(run.window.dataLayer).toEqual([{ event: "gtm.js" }]);
    // On an empty page, utmdConfig and dataLayer are created.
    const fresh = runTemplate({ appUrl: "https://analytics.example/utm", readDataLayer: true });
    expect(fresh.window).toEqual({ utmdConfig: { datalayer: true }, dataLayer: [] });
    expect(fresh.calls.at(-1)).toEqual(["injectScript", "https://analytics.example/utm/t.js"]);
  });

  it("without the dataLayer option it only injects the script; an http URL is refused by the permission", () => {
    const run = runTemplate({ appUrl: "https://analytics.example", readDataLayer: false });
    expect(run.calls).toEqual([["injectScript", "https://analytics.example/t.js"]]);
    expect(() => runTemplate({ appUrl: "http://analytics.example", readDataLayer: false })).toThrow(/inject_script does not allow/);
  });
});
