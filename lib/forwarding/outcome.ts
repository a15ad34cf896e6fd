/**
 * How a platform answered a batch: accepted, a transient failure (network, timeout, 429, 5xx:
 * tried again with backoff, up to 72 h), or a permanent one (any other 4xx: the platform will
 * refuse it again, so the events stop and the settings page shows the error).
 */
export type Outcome = { kind: "ok" } | { kind: "transient" | "permanent"; status: number | null; message: string };

export class PlatformError extends Error {
  constructor(
    readonly kind: "transient" | "permanent",
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}

/** The HTTP status rule of SPEC 19 / the brief: 4xx except 408 and 429 is permanent; 5xx, 408, 429 are transient. */
export function byStatus(status: number, message: string): Outcome {
  if (status >= 200 && status < 300) return { kind: "ok" };
  const transient = status >= 500 || status === 429 || status === 408 || status < 200;
  return { kind: transient ? "transient" : "permanent", status, message };
}

/** A JSON body, or undefined. */
export function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
