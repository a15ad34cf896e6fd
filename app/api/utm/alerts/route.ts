import { z } from "zod";
import { listIncidents } from "@/lib/alerts/incidents";
import { createRule, listRules, removeRule } from "@/lib/alerts/rules";
import { currentTime } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";
import { singleValuedParams } from "@/lib/http/query";
import { createChannel, listChannels, removeChannel } from "@/lib/notify/channels";
import { addChannelSubscription, listChannelSubscriptions, removeChannelSubscription } from "@/lib/notify/report-channels";

/**
 * /api/utm/alerts (SPEC 20), admins only (cookie writes are Origin-checked by the guard):
 * - GET: rules, channels (secrets never shown), report subscriptions to channels, recent incidents;
 * - POST `{type: "rule" | "channel" | "report", ...}`: adds one (docs/alerts.md lists the fields);
 * - DELETE `?type=rule|channel|report&id=N`.
 */
export const dynamic = "force-dynamic";

const TYPES = ["rule", "channel", "report"] as const;

export const GET = withGuard({ role: "admin" }, async (req) => {
  if ([...new URL(req.url).searchParams.keys()].length) throw badRequest("This route takes no parameters");
  const db = await getDb();
  const [rules, channels, reports, incidents] = await Promise.all([listRules(db), listChannels(db), listChannelSubscriptions(db), listIncidents(db)]);
  return Response.json({ rules, channels, reports, incidents }, { headers: { "Cache-Control": "no-store" } });
});

const envelope = z.looseObject({ type: z.enum(TYPES, { error: `must be one of ${TYPES.join(", ")}` }) });

export const POST = withGuard({ role: "admin", body: "json" }, async (req) => {
  const { type, ...rest } = await readJson(req, envelope);
  const db = await getDb();
  if (type === "rule") return Response.json(await createRule(db, rest), { status: 201 });
  if (type === "report") return Response.json(await addChannelSubscription(db, rest), { status: 201 });
  const { channel, secret } = await createChannel(db, rest as Parameters<typeof createChannel>[1]);
  return Response.json(secret ? { ...channel, secret } : channel, { status: 201 });
});

export const DELETE = withGuard({ role: "admin" }, async (req) => {
  const p = singleValuedParams(req);
  const type = TYPES.find((t) => t === p.type);
  const issues = [];
  if (!type) issues.push({ path: "type", message: `must be one of ${TYPES.join(", ")}` });
  const id = /^[1-9]\d{0,9}$/.test(p.id ?? "") ? Number(p.id) : NaN;
  if (!(id <= 2_147_483_647)) issues.push({ path: "id", message: "must be a positive whole number" });
  if (issues.length || !type) throw badRequest(`Invalid parameter: ${issues.map((i) => i.path).join(", ")}`, issues);
  const db = await getDb();
  const gone = type === "rule" ? await removeRule(db, id, currentTime()) : type === "channel" ? await removeChannel(db, id) : await removeChannelSubscription(db, id);
  if (!gone) throw notFound(`No ${type} with this id`);
  return Response.json({ ok: true });
});
