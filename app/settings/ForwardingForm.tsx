"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FORWARDING_STRINGS, type ForwardingStrings } from "@/lib/i18n/forwarding";
import type { Locale } from "@/lib/i18n/pick-locale";

type Destination = "meta" | "google" | "tiktok";
type Field = keyof ForwardingStrings["fields"];

/** The fields of each destination; the last one of each is its secret (never shown, empty keeps it). */
const FIELDS: Record<Destination, { plain: Field[]; secret: Field }> = {
  meta: { plain: ["pixel_id", "test_event_code"], secret: "access_token" },
  google: { plain: ["customer_id", "conversion_action", "login_customer_id"], secret: "service_account_key" },
  tiktok: { plain: ["pixel_code", "test_event_code"], secret: "access_token" },
};

/**
 * One destination's settings (SPEC 19): PUT /api/utm/forwarding/{destination} as JSON (the
 * guard checks the Origin), DELETE to remove, POST …/test for "send a test event".
 */
export function ForwardingForm(props: {
  destination: Destination;
  configured: boolean;
  enabled: boolean;
  settings: Record<string, string>;
  secretHint: string | null;
  locale: Locale;
}) {
  const s = FORWARDING_STRINGS[props.locale];
  const router = useRouter();
  const { plain, secret } = FIELDS[props.destination];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(plain.map((f) => [f, props.settings[f] ?? ""])));
  const [secretValue, setSecretValue] = useState("");
  const [enabled, setEnabled] = useState(props.configured ? props.enabled : true);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const endpoint = `/api/utm/forwarding/${props.destination}`;

  async function request(method: "PUT" | "DELETE" | "POST", url: string, body?: unknown): Promise<{ ok: boolean; out: Record<string, unknown> }> {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const out = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { ok: res.ok, out };
  }

  const errorText = (out: Record<string, unknown>) => {
    const issues = Array.isArray(out.issues) ? (out.issues as { path: string; message: string }[]) : [];
    return `${String(out.error ?? "")}${issues.length ? ` — ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}` : ""}`;
  };

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setMsg(null);
    try {
      await work();
    } catch (err) {
      setMsg({ ok: false, text: String(err) });
    } finally {
      setBusy(false);
    }
  }

  const save = () =>
    run(async () => {
      const body: Record<string, unknown> = { enabled };
      for (const f of plain) if (values[f].trim()) body[f] = values[f];
      if (secretValue.trim()) body[secret] = secretValue;
      const { ok, out } = await request("PUT", endpoint, body);
      if (ok) {
        setSecretValue("");
        setMsg({ ok: true, text: s.saved });
        router.refresh();
      } else setMsg({ ok: false, text: errorText(out) });
    });
  const remove = () =>
    run(async () => {
      if (!window.confirm(s.removeConfirm)) return;
      const { ok, out } = await request("DELETE", endpoint);
      if (ok) router.refresh();
      else setMsg({ ok: false, text: errorText(out) });
    });
  const test = () =>
    run(async () => {
      const { ok, out } = await request("POST", `${endpoint}/test`, {});
      if (ok && out.ok === true) setMsg({ ok: true, text: s.testOk });
      else setMsg({ ok: false, text: `${s.testFailed}: ${ok ? String(out.message ?? "") : errorText(out)}` });
      router.refresh();
    });

  const input = "w-full rounded-md border border-slate-300 px-2 py-1 text-sm";
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 p-3"
      data-testid={`forwarding-form-${props.destination}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="text-sm font-semibold text-slate-700">{s.destinations[props.destination]}</h3>
      {plain.map((f) => (
        <label key={f} className="block text-xs text-slate-600">
          {s.fields[f]}
          <input className={input} value={values[f]} onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))} autoComplete="off" />
        </label>
      ))}
      <label className="block text-xs text-slate-600">
        {s.fields[secret]}
        {props.secretHint ? <span className="ml-1 text-emerald-700">({s.secretSet(props.secretHint)})</span> : null}
        {secret === "service_account_key" ? (
          <textarea className={`${input} h-20 font-mono`} value={secretValue} onChange={(e) => setSecretValue(e.target.value)} placeholder={props.secretHint ? s.secretKeep : "{ \"client_email\": …, \"private_key\": … }"} autoComplete="off" />
        ) : (
          <input type="password" className={input} value={secretValue} onChange={(e) => setSecretValue(e.target.value)} placeholder={props.secretHint ? s.secretKeep : ""} autoComplete="new-password" />
        )}
      </label>
      <label className="flex items-center gap-2 text-xs text-slate-600">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {s.enabledLabel}
      </label>
      <div className="flex flex-wrap gap-2 pt-1">
        <button type="submit" disabled={busy} className="rounded-md bg-slate-800 px-3 py-1 text-xs font-medium text-white disabled:opacity-50">
          {s.save}
        </button>
        {props.configured ? (
          <>
            <button type="button" disabled={busy} onClick={() => void test()} className="rounded-md border border-slate-300 px-3 py-1 text-xs disabled:opacity-50">
              {s.sendTest}
            </button>
            <button type="button" disabled={busy} onClick={() => void remove()} className="rounded-md px-3 py-1 text-xs text-rose-700 hover:underline disabled:opacity-50">
              {s.remove}
            </button>
          </>
        ) : null}
      </div>
      {msg ? (
        <p role="status" className={`text-xs ${msg.ok ? "text-emerald-700" : "text-rose-700"}`}>
          {msg.text}
        </p>
      ) : null}
    </form>
  );
}
