import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { CHANNEL_KINDS, type ChannelKind } from "@/lib/alerts/vocabulary";
import { rows, type Db } from "@/lib/db/client";
import { isStorableText } from "@/lib/ids";
import { sendEmail } from "./email";
import { sendSlack } from "./slack";
import { sendTelegram } from "./telegram";
import { sendWebhook } from "./webhook";

/**
 * Notification channels (SPEC 20): where alerts, and Slack/Telegram reports, are sent. A channel's
 * secret (Telegram bot token, webhook HMAC key) is never listed back: the settings page sees
 * `has_secret`, and a generated webhook secret is shown once, in the answer that created it. Slack and
 * webhook URLs are listed masked (maskTarget).
 */

export type Channel = { id: number; kind: ChannelKind; name: string; target: string; secret: string | null };
export type ChannelView = { id: number; kind: ChannelKind; name: string; target: string; has_secret: boolean; created_at: string };

/** What one delivery says: a subject (e-mail), the text (every chat), and the webhook's JSON. */
export type NotifyMessage = { event: string; subject: string; text: string; payload: Record<string, unknown> };

const text = (max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(isStorableText, "must not contain NUL characters or lone UTF-16 surrogates");

const httpUrl = text(2000).refine((v) => {
  try {
    return ["http:", "https:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, "must be an http(s) URL");

const name = text(120);
export const channelInput = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("email"), name, target: text(254).pipe(z.email("must be an e-mail address")) }),
    z.strictObject({ kind: z.literal("slack"), name, target: httpUrl }),
    z.strictObject({
      kind: z.literal("telegram"),
      name,
      // A chat id is a number (groups negative) or @channelusername.
      target: text(64).regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "must be a chat id (digits) or @channelusername"),
      secret: text(200).regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, "must be a bot token such as 123456:ABC-DEF..."),
    }),
    z.strictObject({ kind: z.literal("webhook"), name, target: httpUrl, secret: text(200).min(16, "must be at least 16 characters").optional() }),
  ],
  { error: `kind must be one of ${CHANNEL_KINDS.join(", ")}` },
);
export type ChannelInput = z.input<typeof channelInput>;

const viewColumns = sql`id::int as id, kind::text as kind, name::text as name, target,
  (secret is not null) as has_secret, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;

/** A Slack or webhook URL is a credential (whoever has it may post): listed as origin and last 4 characters. */
export function maskTarget(kind: ChannelKind, target: string): string {
  if (kind !== "slack" && kind !== "webhook") return target;
  try {
    return `${new URL(target).origin}/…${target.slice(-4)}`;
  } catch {
    return "…";
  }
}

export async function listChannels(db: Db): Promise<ChannelView[]> {
  const list = await rows<ChannelView>(db, sql`select ${viewColumns} from notify_channels order by id`);
  return list.map((c) => ({ ...c, target: maskTarget(c.kind, c.target) }));
}

/** Creates a channel; a webhook without a secret gets a generated one, returned once. */
export async function createChannel(db: Db, input: ChannelInput): Promise<{ channel: ChannelView; secret?: string }> {
  const c = channelInput.parse(input);
  const generated = c.kind === "webhook" && !c.secret ? randomBytes(32).toString("hex") : undefined;
  const secret = c.kind === "telegram" || c.kind === "webhook" ? (c.secret ?? generated) : undefined;
  const [channel] = await rows<ChannelView>(
    db,
    sql`insert into notify_channels (kind, name, target, secret) values (${c.kind}, ${c.name}, ${c.target}, ${secret ?? null}) returning ${viewColumns}`,
  );
  channel.target = maskTarget(channel.kind, channel.target);
  return generated ? { channel, secret: generated } : { channel };
}

export async function removeChannel(db: Db, id: number): Promise<boolean> {
  return (await rows<{ id: number }>(db, sql`delete from notify_channels where id = ${id} returning id::int as id`)).length > 0;
}

export async function loadChannel(db: Db, id: number): Promise<Channel | undefined> {
  const [c] = await rows<Channel>(db, sql`select id::int as id, kind::text as kind, name::text as name, target, secret from notify_channels where id = ${id}`);
  return c;
}

/** Sends one message; resolves with a transport id, rejects with a NotifyError. */
export async function sendToChannel(db: Db, channel: Channel, msg: NotifyMessage, signal: AbortSignal): Promise<string> {
  switch (channel.kind) {
    case "email":
      return sendEmail(db, channel.target, msg.subject, msg.text, signal);
    case "slack":
      return sendSlack(channel.target, msg.text, signal);
    case "telegram":
      return sendTelegram(channel.secret ?? "", channel.target, msg.text, signal);
    case "webhook":
      return sendWebhook(channel.target, channel.secret ?? "", msg.event, JSON.stringify(msg.payload), signal);
  }
}
