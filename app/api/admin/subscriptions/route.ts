import { getDb } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { json } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";
import { addSubscription, listSubscriptions, subscriptionInput } from "@/lib/reports/subscriptions";

/** Report subscriptions (SPEC 6 settings, SPEC 10: admin only). GET lists, POST adds or updates. */

export const GET = withGuard({ role: "admin" }, async () => {
  return json({ subscriptions: await listSubscriptions(await getDb()) });
});

export const POST = withGuard({ role: "admin" }, async (req) => {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw badRequest("The body must be JSON");
  }
  const parsed = subscriptionInput.safeParse(body);
  if (!parsed.success) throw badRequest("Invalid subscription", zodIssues(parsed.error));
  const { subscription, created } = await addSubscription(await getDb(), parsed.data);
  return json({ subscription }, created ? 201 : 200);
});
