import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";
import { addSubscription, listSubscriptions, subscriptionInput } from "@/lib/reports/subscriptions";

/** Report subscriptions (SPEC 6 settings, SPEC 10: admin only). GET lists, POST adds or updates. */

export const GET = withGuard({ role: "admin" }, async () => {
  return json({ subscriptions: await listSubscriptions(await getDb()) });
});

export const POST = withGuard({ role: "admin", body: "json" }, async (req) => {
  const input = await readJson(req, subscriptionInput);
  const { subscription, created } = await addSubscription(await getDb(), input);
  return json({ subscription }, created ? 201 : 200);
});
