import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportSPKI, generateKeyPair, importSPKI, jwtVerify, exportPKCS8 } from "jose";

/**
 * Local stand-ins for Meta, Google (OAuth token endpoint + Data Manager) and TikTok, started by
 * the forwarding tests. Each checks what the platform's documentation asks of a request (method,
 * path, credential, body shape and types) and answers what the test tells it to; a request that
 * breaks the documented shape is answered 400 and recorded in `violations`, so a test sees it.
 */

export type Seen = { platform: "meta" | "google" | "tiktok" | "token"; method: string; path: string; headers: IncomingMessage["headers"]; body: unknown; raw: string };
export type Answer = { status: number; body: unknown };

export const META_TOKEN = "EAAGm0PX4ZCpsBAMETA0123456789secretTOKEN9876";
export const TIKTOK_TOKEN = "tt-0123456789abcdef0123456789TIKTOKsecret4321";
export const GOOGLE_ACCESS = "ya29.google-access-token-0123456789";
export const PIXEL_ID = "1234567890123";
export const PIXEL_CODE = "C4ABCDEFGHIJ123456";
export const CUSTOMER_ID = "1234567890";
export const CONVERSION_ACTION = "987654321";

const HEX64 = /^[0-9a-f]{64}$/;

export type Platforms = {
  url: string;
  seen: Seen[];
  violations: string[];
  /** The answer of each platform, by default 200 with the platform's success body. */
  answer: { meta?: (s: Seen) => Answer; google?: (s: Seen) => Answer; tiktok?: (s: Seen) => Answer };
  serviceAccountKey: string;
  close: () => Promise<void>;
  /** Event ids received in requests answered 2xx (= accepted by the platform). */
  accepted: (p: "meta" | "google" | "tiktok") => string[];
};

export async function startPlatforms(): Promise<Platforms> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const spki = await exportSPKI(publicKey);
  const pkcs8 = await exportPKCS8(privateKey);
  const serviceAccountKey = JSON.stringify({ type: "service_account", client_email: "utmd@shop-project.iam.gserviceaccount.com", private_key: pkcs8, private_key_id: "k1" }, null, 2);
  const seen: Seen[] = [];
  const violations: string[] = [];
  const acceptedIds: Record<string, string[]> = { meta: [], google: [], tiktok: [] };
  const answer: Platforms["answer"] = {};
  let base = "";

  const check = (cond: boolean, what: string) => {
    if (!cond) violations.push(what);
    return cond;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const path = req.url ?? "";
        const reply = (a: Answer) => {
          res.writeHead(a.status, { "content-type": "application/json" });
          res.end(JSON.stringify(a.body));
        };
        if (path === "/token") {
          const form = new URLSearchParams(raw);
          const s: Seen = { platform: "token", method: req.method ?? "", path, headers: req.headers, body: Object.fromEntries(form), raw };
          seen.push(s);
          let ok = check(req.method === "POST", "token: method POST") && check(form.get("grant_type") === "urn:ietf:params:oauth:grant-type:jwt-bearer", "token: jwt-bearer grant");
          try {
            const { payload, protectedHeader } = await jwtVerify(form.get("assertion") ?? "", await importSPKI(spki, "RS256"), { issuer: "utmd@shop-project.iam.gserviceaccount.com", audience: `${base}/token` });
            ok = check(payload.scope === "https://www.googleapis.com/auth/datamanager", "token: datamanager scope") && check(protectedHeader.alg === "RS256", "token: RS256") && ok;
          } catch (e) {
            ok = check(false, `token: assertion does not verify (${(e as Error).message})`);
          }
          return reply(ok ? { status: 200, body: { access_token: GOOGLE_ACCESS, expires_in: 3599, token_type: "Bearer" } } : { status: 400, body: { error: "invalid_grant" } });
        }
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          violations.push(`${path}: body is not JSON`);
          return reply({ status: 400, body: { error: { message: "not JSON" } } });
        }
        const b = body as Record<string, unknown>;
        const events = (Array.isArray(b.data) ? b.data : Array.isArray(b.events) ? b.events : []) as Record<string, unknown>[];
        if (path === `/meta/v24.0/${PIXEL_ID}/events`) {
          const s: Seen = { platform: "meta", method: req.method ?? "", path, headers: req.headers, body, raw };
          seen.push(s);
          const ok =
            check(req.method === "POST", "meta: POST") &&
            check(b.access_token === META_TOKEN, "meta: access_token") &&
            check(events.length >= 1 && events.length <= 1000, "meta: 1..1000 events") &&
            events.every(
              (e) =>
                check(e.event_name === "Purchase", "meta: event_name") &&
                check(Number.isInteger(e.event_time) && (e.event_time as number) < 1e11, "meta: event_time unix seconds") &&
                check(typeof e.event_id === "string", "meta: event_id") &&
                check(e.action_source === "website", "meta: action_source") &&
                check(typeof e.user_data === "object", "meta: user_data") &&
                check(((e.user_data as { em?: unknown[] }).em ?? []).every((h) => typeof h === "string" && HEX64.test(h)), "meta: em hashes") &&
                check(typeof (e.custom_data as { value?: unknown }).value === "number", "meta: value number") &&
                check(/^[A-Z]{3}$/.test(String((e.custom_data as { currency?: unknown }).currency)), "meta: currency"),
            );
          if (!ok) return reply({ status: 400, body: { error: { message: "Invalid parameter", type: "OAuthException", code: 100 } } });
          const a = answer.meta?.(s) ?? { status: 200, body: { events_received: events.length, fbtrace_id: "x" } };
          if (a.status >= 200 && a.status < 300) acceptedIds.meta.push(...events.map((e) => String(e.event_id)));
          return reply(a);
        }
        if (path === "/google/v1/events:ingest") {
          const s: Seen = { platform: "google", method: req.method ?? "", path, headers: req.headers, body, raw };
          seen.push(s);
          const dest = (b.destinations as Record<string, unknown>[] | undefined)?.[0] as { operatingAccount?: { accountType?: string; accountId?: string }; productDestinationId?: string } | undefined;
          const ok =
            check(req.method === "POST", "google: POST") &&
            check(req.headers.authorization === `Bearer ${GOOGLE_ACCESS}`, "google: bearer token") &&
            check(dest?.operatingAccount?.accountType === "GOOGLE_ADS" && dest.operatingAccount.accountId === CUSTOMER_ID, "google: operatingAccount") &&
            check(dest?.productDestinationId === CONVERSION_ACTION, "google: productDestinationId") &&
            check(b.encoding === "HEX", "google: encoding") &&
            check(events.length >= 1 && events.length <= 2000, "google: 1..2000 events") &&
            events.every(
              (e) =>
                check(typeof e.transactionId === "string", "google: transactionId") &&
                check(typeof e.eventTimestamp === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(e.eventTimestamp), "google: eventTimestamp RFC 3339") &&
                check(typeof e.conversionValue === "number", "google: conversionValue") &&
                check(/^[A-Z]{3}$/.test(String(e.currency)), "google: currency"),
            );
          if (!ok) return reply({ status: 400, body: { error: { code: 400, message: "Invalid argument", status: "INVALID_ARGUMENT" } } });
          const a = answer.google?.(s) ?? { status: 200, body: { requestId: "r-1" } };
          if (a.status >= 200 && a.status < 300) acceptedIds.google.push(...events.map((e) => String(e.transactionId)));
          return reply(a);
        }
        if (path === "/tiktok/open_api/v1.3/event/track/") {
          const s: Seen = { platform: "tiktok", method: req.method ?? "", path, headers: req.headers, body, raw };
          seen.push(s);
          const ok =
            check(req.method === "POST", "tiktok: POST") &&
            check(req.headers["access-token"] === TIKTOK_TOKEN, "tiktok: Access-Token") &&
            check(b.event_source === "web" && b.event_source_id === PIXEL_CODE, "tiktok: event_source, event_source_id") &&
            events.every(
              (e) =>
                check(e.event === "CompletePayment", "tiktok: event") &&
                check(Number.isInteger(e.event_time) && (e.event_time as number) < 1e11, "tiktok: event_time unix seconds") &&
                check(typeof e.event_id === "string", "tiktok: event_id") &&
                check(typeof (e.properties as { value?: unknown }).value === "number", "tiktok: value"),
            );
          if (!ok) return reply({ status: 200, body: { code: 40002, message: "invalid params" } });
          const a = answer.tiktok?.(s) ?? { status: 200, body: { code: 0, message: "OK", request_id: "t-1" } };
          if (a.status >= 200 && a.status < 300 && (a.body as { code?: number }).code === 0) acceptedIds.tiktok.push(...events.map((e) => String(e.event_id)));
          return reply(a);
        }
        violations.push(`unknown path ${req.method} ${path}`);
        reply({ status: 404, body: { error: "no such path" } });
      })();
    });
  });
  // Idle keep-alive sockets stay open longer than a test: a socket the server closes just as the
  // client reuses it would be a (correctly retried) network error, not what a test is about.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    seen,
    violations,
    answer,
    serviceAccountKey,
    accepted: (p) => acceptedIds[p],
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The config overrides pointing every platform at the local servers. */
export function platformEnv(url: string) {
  return {
    META_GRAPH_URL: `${url}/meta/v24.0`,
    GOOGLE_DATAMANAGER_URL: `${url}/google/v1`,
    GOOGLE_TOKEN_URL: `${url}/token`,
    TIKTOK_API_URL: `${url}/tiktok/open_api/v1.3`,
  };
}
