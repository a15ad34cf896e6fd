import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Resend } from "resend";
import { config } from "@/lib/config";
import type { Attachment } from "./csv";

/**
 * Delivery of one message (SPEC 7): through Resend when an API key is configured, else into
 * `<DATA_DIR>/outbox/<timestamp>-<period>-<recipient>/` as files a person can open
 * (message.html, message.txt, headers.json and the CSV attachments).
 */

export type OutgoingMessage = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: Attachment[];
};

export type DeliveryTarget = { kind: "resend"; apiKey: string; baseUrl?: string } | { kind: "outbox"; dir?: string };

export type DeliveryResult = { transport: "resend" | "outbox"; id: string };

export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryError";
  }
}

export function outboxDir(): string {
  return path.join(config().dataDir, "outbox");
}

/** Only characters that are safe in a directory name on any file system. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9@._-]+/g, "_").slice(0, 100);

export function writeToOutbox(msg: OutgoingMessage, label: string, dir = outboxDir()): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = path.join(dir, `${stamp}-${safe(label)}-${safe(msg.to)}`);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, "message.html"), msg.html);
  writeFileSync(path.join(target, "message.txt"), msg.text);
  writeFileSync(
    path.join(target, "headers.json"),
    JSON.stringify({ from: msg.from, to: msg.to, subject: msg.subject, attachments: msg.attachments.map((a) => a.filename) }, null, 2) + "\n",
  );
  for (const a of msg.attachments) writeFileSync(path.join(target, safe(a.filename)), a.content);
  return target;
}

export async function deliver(msg: OutgoingMessage, target: DeliveryTarget, label: string): Promise<DeliveryResult> {
  if (target.kind === "outbox") return { transport: "outbox", id: writeToOutbox(msg, label, target.dir) };
  const resend = new Resend(target.apiKey, target.baseUrl ? { baseUrl: target.baseUrl } : undefined);
  const { data, error } = await resend.emails.send({
    from: msg.from,
    to: [msg.to],
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    attachments: msg.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content, "utf8"), contentType: "text/csv" })),
  });
  if (error || !data) throw new DeliveryError(`Resend: ${error?.name ?? "error"}: ${error?.message ?? "no message id"}`);
  return { transport: "resend", id: data.id };
}
