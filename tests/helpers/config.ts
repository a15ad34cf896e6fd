import { overrideConfig, type ConfigEnv } from "@/lib/config";

/**
 * Tests change the configuration through here, never by writing process.env: the override is a
 * layer config() reads over the real environment (lib/config.ts), dropped by restore().
 *
 *   const restore = overrideConfig({ ALLOWED_ORIGINS: "https://shop.example.com" }); … restore();
 *   await withConfig({ CRON_SECRET: undefined }, async () => { … });   // undefined = unset
 *
 * A child process (npm start, the CLI) gets its variables as the `env` option of spawn instead.
 */
export { overrideConfig, type ConfigEnv };

/** Runs fn with the overrides in place and restores them however fn ends. */
export async function withConfig<T>(env: ConfigEnv, fn: () => T | Promise<T>): Promise<T> {
  const restore = overrideConfig(env);
  try {
    return await fn();
  } finally {
    restore();
  }
}

/**
 * The few variables the runtime reads from process.env itself, outside config(): the handshakes
 * between `npm start`'s processes (lib/runtime/peer-header.cjs, lib/http/client-address.ts,
 * lib/db/client.ts). Only these may be set, and only through here (saved and put back in one place).
 */
export type ProcessVar = "UTMD_PEER_HEADER" | "UTMD_FRONT_SECRET" | "UTMD_PGLITE_SOCKET";

/** Sets (or, with undefined, unsets) these process.env variables; restore() puts back what was there. */
export function overrideProcessEnv(vars: { [K in ProcessVar]?: string | undefined }): () => void {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  for (const [k, v] of Object.entries(vars)) set(k, v);
  return () => {
    for (const [k, v] of saved) set(k, v);
  };
}

function set(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
