import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { AppError, badRequest } from "@/lib/errors";
import { ingestOrders } from "@/lib/ingest/orders";
import { inTransaction } from "@/lib/ingest/sql-util";
import { parseAs, parseWebhookJson } from "../webhook-json";
import { mapShopifyOrder, shopifyOrderSchema, type MappedOrder } from "./order";

/**
 * `npm run utm -- shopify backfill` (SPEC 17.1): past orders read through the Admin GraphQL API
 * (`POST {SHOPIFY_API_BASE}/admin/api/{SHOPIFY_API_VERSION}/graphql.json`, header
 * X-Shopify-Access-Token), page by page with `orders(first, after, query)` and
 * `pageInfo {hasNextPage endCursor}`, mapped like the webhooks (each GraphQL order is rewritten
 * into the REST shape and goes through mapShopifyOrder) and stored with ingestOrders, so running
 * it again changes nothing.
 *  - Throttle-aware: after each answer it waits until `extensions.cost.throttleStatus` has
 *    restored enough points for the next page (currentlyAvailable, restoreRate); a THROTTLED
 *    error (or HTTP 429) waits and asks for the same page again.
 *  - Resumable: the cursor after each stored page is kept in app_settings (same transaction as
 *    the page's orders); a run that stopped resumes there when given the same --since; a finished
 *    one starts over.
 *  - An order the app refuses (e.g. an invalid field) is skipped with a warning; the rest of its
 *    page is stored.
 */

export const BACKFILL_PAGE_SIZE = 20;

export const ORDERS_QUERY = `query UtmdBackfillOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id legacyResourceId name createdAt processedAt cancelledAt currencyCode displayFinancialStatus email phone
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      subtotalPriceSet { shopMoney { amount } }
      totalDiscountsSet { shopMoney { amount } }
      totalShippingPriceSet { shopMoney { amount } }
      totalTaxSet { shopMoney { amount } }
      discountCodes
      customer { id legacyResourceId email phone }
      lineItems(first: 50) { nodes { sku name title quantity originalUnitPriceSet { shopMoney { amount } } product { legacyResourceId } } }
      refunds(first: 20) {
        legacyResourceId createdAt note
        totalRefundedSet { shopMoney { amount } }
        refundLineItems(first: 50) { nodes { subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } }
      }
      customerJourneySummary { firstVisit { landingPage referrerUrl } lastVisit { landingPage referrerUrl } }
    }
  }
}`;

type Money = { shopMoney?: { amount?: unknown; currencyCode?: unknown } } | null | undefined;
type Visit = { landingPage?: string | null; referrerUrl?: string | null } | null | undefined;
type GqlOrder = {
  id?: string;
  legacyResourceId?: string;
  name?: string;
  createdAt?: string;
  processedAt?: string | null;
  cancelledAt?: string | null;
  currencyCode?: string;
  displayFinancialStatus?: string | null;
  email?: string | null;
  phone?: string | null;
  currentTotalPriceSet?: Money;
  subtotalPriceSet?: Money;
  totalDiscountsSet?: Money;
  totalShippingPriceSet?: Money;
  totalTaxSet?: Money;
  discountCodes?: string[] | null;
  customer?: { legacyResourceId?: string; email?: string | null; phone?: string | null } | null;
  lineItems?: { nodes?: { sku?: string | null; name?: string | null; title?: string | null; quantity?: unknown; originalUnitPriceSet?: Money; product?: { legacyResourceId?: string } | null }[] };
  refunds?: { legacyResourceId?: string; createdAt?: string; note?: string | null; totalRefundedSet?: Money; refundLineItems?: { nodes?: { subtotalSet?: Money; totalTaxSet?: Money }[] } }[];
  customerJourneySummary?: { firstVisit?: Visit; lastVisit?: Visit } | null;
};

const amount = (m: Money) => m?.shopMoney?.amount;

/** The visit an order's landing touchpoint comes from: the last one, unless only the first has a campaign or a referrer. */
function visit(j: GqlOrder["customerJourneySummary"]): Visit {
  const tells = (v: Visit) => !!v && (/[?&]utm_source=/.test(v.landingPage ?? "") || !!v.referrerUrl);
  if (tells(j?.lastVisit)) return j?.lastVisit;
  if (tells(j?.firstVisit)) return j?.firstVisit;
  return j?.lastVisit ?? j?.firstVisit;
}

/** A GraphQL Order in the REST Order shape the webhooks send (GraphQL names → REST names). */
export function gqlToRest(o: GqlOrder): Record<string, unknown> {
  const orderId = o.legacyResourceId;
  const v = visit(o.customerJourneySummary);
  return {
    id: orderId,
    name: o.name,
    created_at: o.createdAt,
    processed_at: o.processedAt,
    cancelled_at: o.cancelledAt,
    currency: o.currentTotalPriceSet?.shopMoney?.currencyCode ?? o.currencyCode,
    current_total_price: amount(o.currentTotalPriceSet),
    subtotal_price: amount(o.subtotalPriceSet),
    total_discounts: amount(o.totalDiscountsSet),
    total_shipping_price_set: o.totalShippingPriceSet?.shopMoney ? { shop_money: { amount: amount(o.totalShippingPriceSet) } } : undefined,
    total_tax: amount(o.totalTaxSet),
    discount_codes: (o.discountCodes ?? []).map((code) => ({ code })),
    financial_status: o.displayFinancialStatus?.toLowerCase(),
    email: o.email,
    phone: o.phone,
    customer: o.customer?.legacyResourceId ? { id: o.customer.legacyResourceId, email: o.customer.email, phone: o.customer.phone } : null,
    line_items: (o.lineItems?.nodes ?? []).map((li) => ({
      sku: li.sku,
      title: li.title ?? li.name,
      quantity: li.quantity,
      price: amount(li.originalUnitPriceSet),
      product_id: li.product?.legacyResourceId,
    })),
    refunds: (o.refunds ?? []).map((r) => ({
      id: r.legacyResourceId,
      order_id: orderId,
      created_at: r.createdAt,
      note: r.note,
      transactions: [{ amount: amount(r.totalRefundedSet) ?? "0", kind: "refund", status: "success" }],
      refund_line_items: (r.refundLineItems?.nodes ?? []).map((li) => ({ subtotal: amount(li.subtotalSet), total_tax: amount(li.totalTaxSet) })),
    })),
    landing_site: v?.landingPage,
    referring_site: v?.referrerUrl,
  };
}

export type BackfillOptions = {
  shop: string;
  token: string;
  /** YYYY-MM-DD: only orders created on or after it. */
  since?: string;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  pageSize?: number;
  /** Retries of a failed request (network, 5xx) before giving up; the cursor is kept. */
  retries?: number;
};

export type BackfillResult = { pages: number; orders: number; skipped: number; resumed: boolean };

type State = { shop: string; since: string | null; cursor: string | null; orders: number; done: boolean };

const stateKey = (shop: string) => `shopify_backfill:${createHash("sha256").update(shop).digest("hex").slice(0, 40)}`;

async function readState(db: Db, shop: string): Promise<State | undefined> {
  const [row] = await rows<{ value: State }>(db, sql`SELECT value FROM app_settings WHERE key = ${stateKey(shop)}`);
  return row?.value;
}

async function writeState(db: Db, state: State): Promise<void> {
  await db.execute(sql`
    INSERT INTO app_settings (key, value, updated_at) VALUES (${stateKey(state.shop)}, ${JSON.stringify(state)}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`);
}

export function normaliseShop(shop: string): string {
  const s = shop.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (!/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/.test(s)) throw badRequest("--shop must be the shop's domain, e.g. my-shop.myshopify.com");
  return s;
}

type Page = { orders: GqlOrder[]; hasNextPage: boolean; endCursor: string | null; waitMs: number };

class Throttled extends Error {
  constructor(public readonly waitMs: number) {
    super("throttled");
  }
}

type Cost = { requestedQueryCost?: unknown; throttleStatus?: { currentlyAvailable?: unknown; restoreRate?: unknown } };

/** How long until the bucket holds `need` points again (0 when it does). */
export function throttleWaitMs(cost: Cost | undefined, need?: number): number {
  const t = cost?.throttleStatus;
  const available = Number(t?.currentlyAvailable);
  const rate = Number(t?.restoreRate);
  const wanted = need ?? Number(cost?.requestedQueryCost);
  if (!Number.isFinite(available) || !Number.isFinite(rate) || rate <= 0 || !Number.isFinite(wanted)) return 0;
  return available >= wanted ? 0 : Math.ceil(((wanted - available) / rate) * 1000);
}

async function fetchPage(url: string, token: string, variables: Record<string, unknown>): Promise<Page> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query: ORDERS_QUERY, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status === 429) throw new Throttled(Math.max(1000, Number(res.headers.get("retry-after")) * 1000 || 2000));
  if (res.status === 401 || res.status === 403) {
    throw new AppError("unauthenticated", `Shopify refused the token (${res.status}): check --token and that the app has the read_orders scope`);
  }
  if (res.status === 404) throw new AppError("not_found", `No Admin API at ${url} (404): check --shop and SHOPIFY_API_VERSION`);
  if (!res.ok) throw new Error(`Shopify answered ${res.status}`);
  const body = parseWebhookJson(text) as {
    data?: { orders?: { pageInfo?: { hasNextPage?: boolean; endCursor?: string | null }; nodes?: GqlOrder[] } };
    errors?: { message?: string; extensions?: { code?: string } }[];
    extensions?: { cost?: Cost };
  };
  const cost = body.extensions?.cost;
  if (body.errors?.some((e) => e.extensions?.code === "THROTTLED")) {
    throw new Throttled(Math.max(throttleWaitMs(cost), 250));
  }
  if (body.errors?.length) {
    throw new AppError("invalid_input", `Shopify GraphQL error: ${body.errors.map((e) => e.message ?? "unknown").join("; ").slice(0, 300)}`);
  }
  const orders = body.data?.orders;
  if (!orders) throw new Error("Shopify's answer has no data.orders");
  return {
    orders: orders.nodes ?? [],
    hasNextPage: orders.pageInfo?.hasNextPage === true,
    endCursor: orders.pageInfo?.endCursor ?? null,
    waitMs: throttleWaitMs(cost),
  };
}

/** Stores one page; an order the app refuses is skipped (the others are kept). */
async function storePage(db: Db, mapped: MappedOrder[], log: (l: string) => void, state: State): Promise<number> {
  let skipped = 0;
  await inTransaction(db, async (tx) => {
    try {
      if (mapped.length) await ingestOrders(tx, mapped);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "invalid_input") throw err;
      // One by one, each in its own savepoint, to keep the good ones.
      for (const o of mapped) {
        try {
          await inTransaction(tx, (t) => ingestOrders(t, o));
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          skipped++;
          log(`shopify backfill: skipped order ${o.order_id}: ${e.message}${e.issues?.length ? ` (${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")})` : ""}`);
        }
      }
      state.orders -= skipped;
    }
    await writeState(tx, state);
  });
  return skipped;
}

export async function runShopifyBackfill(db: Db, opts: BackfillOptions): Promise<BackfillResult> {
  const shop = normaliseShop(opts.shop);
  if (!opts.token.trim()) throw badRequest("--token is required (an Admin API access token with read_orders)");
  const since = opts.since?.trim() || null;
  if (since !== null && !/^\d{4}-\d{2}-\d{2}$/.test(since)) throw badRequest("--since must be a date YYYY-MM-DD");
  const log = opts.log ?? (() => {});
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries = opts.retries ?? 5;
  const cfg = config();
  const url = `${cfg.shopifyApiBase.replace("{shop}", shop)}/admin/api/${cfg.shopifyApiVersion}/graphql.json`;

  const previous = await readState(db, shop);
  const resumed = !!previous && !previous.done && previous.since === since && !!previous.cursor;
  const state: State = { shop, since, cursor: resumed ? previous!.cursor : null, orders: resumed ? previous!.orders : 0, done: false };
  if (resumed) log(`shopify backfill: resuming ${shop} after ${state.orders} orders`);
  let pages = 0;
  let skipped = 0;
  let failures = 0;
  for (;;) {
    let page: Page;
    try {
      page = await fetchPage(url, opts.token, { first: opts.pageSize ?? BACKFILL_PAGE_SIZE, after: state.cursor, query: since ? `created_at:>=${since}` : null });
    } catch (err) {
      if (err instanceof Throttled) {
        log(`shopify backfill: throttled by Shopify, waiting ${(err.waitMs / 1000).toFixed(1)} s`);
        await sleep(err.waitMs);
        continue;
      }
      if (err instanceof AppError || ++failures > retries) throw err;
      const wait = 1000 * 2 ** (failures - 1);
      log(`shopify backfill: ${err instanceof Error ? err.message : "request failed"}; retrying in ${wait / 1000} s`);
      await sleep(wait);
      continue;
    }
    failures = 0;
    pages++;
    const mapped: MappedOrder[] = [];
    for (const node of page.orders) {
      try {
        mapped.push(mapShopifyOrder(parseAs(shopifyOrderSchema, gqlToRest(node), "Shopify order"), shop));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        skipped++;
        log(`shopify backfill: skipped order ${node.legacyResourceId ?? node.id ?? "?"}: ${e.message}${e.issues?.length ? ` (${e.issues.map((i) => `${i.path}: ${i.message}`).join("; ")})` : ""}`);
      }
    }
    state.cursor = page.endCursor ?? state.cursor;
    state.done = !page.hasNextPage;
    state.orders += mapped.length;
    skipped += await storePage(db, mapped, log, state);
    log(`shopify backfill: ${shop} page ${pages}: ${state.orders} orders so far${skipped ? `, ${skipped} skipped` : ""}`);
    if (state.done) break;
    if (page.waitMs > 0) await sleep(page.waitMs);
  }
  return { pages, orders: state.orders, skipped, resumed };
}
