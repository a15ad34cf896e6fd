import {
  AB_CAMPAIGN,
  CATEGORY_PATHS,
  CHANNELS,
  COUNTRIES,
  DEMO_HOST,
  DEVICE_FACTOR,
  ORDER_STATUS,
  PRODUCTS,
  USER_AGENTS,
  type Campaign,
  type Channel,
  type Creative,
} from "./catalog";
import { createRng, type Rng } from "./prng";

/**
 * Deterministic demo / reference data, generated as a stream of ingestion batches
 * (`POST /api/ingest/batch` bodies, SPEC 2.4) so a million sessions never sit in memory:
 * sessions are produced day by day in time order, each with its events and (sometimes) an order,
 * and a chunk is handed out as soon as it holds about `maxRecords` records.
 *
 * Same seed + same `now` → the same records. Only the last day ("today") depends on the time of
 * day, because its sessions are spread over the hours that have already passed.
 */

export type DemoSession = {
  id: string;
  visitor_id: string;
  started_at: string;
  landing_url: string;
  referrer?: string;
  country: string;
  user_agent: string;
};
export type DemoEvent = {
  id: string;
  session_id: string;
  type: "page_view" | "product_view" | "add_to_cart" | "checkout_start";
  occurred_at: string;
  path: string;
  properties?: Record<string, string | number>;
};
export type DemoOrder = {
  order_id: string;
  customer_id: string;
  visitor_id: string;
  session_id?: string;
  total: number;
  status: "paid" | "pending" | "refunded" | "cancelled";
  placed_at: string;
  items: number;
};
export type DemoAdSpend = { date: string; utm_source: string; utm_campaign: string; amount: number };

export type DemoChunk = {
  sessions: DemoSession[];
  events: DemoEvent[];
  orders: DemoOrder[];
  /** Ad spend of the days completed since the previous chunk. */
  adSpend: DemoAdSpend[];
  /** Sessions generated so far, this chunk included. */
  sessionsDone: number;
};

export type DemoOptions = {
  sessions: number;
  seed?: number;
  /** Days of history up to and including today (default 180; the bench uses 730). */
  days?: number;
  now?: Date;
  /** Records (sessions + events + orders) per chunk; the batch API takes at most 10,000. */
  maxRecords?: number;
};

type Visitor = {
  id: string;
  country: string;
  ua: { ua: string; device: "desktop" | "mobile" | "tablet" };
  customerId?: string;
  orders: number;
  /** Sessions so far: a buyer with several has a touchpoint path for the attribution models. */
  sessions: number;
};

const DAY_MS = 86_400_000;
/** Hour-of-day weights (UTC; the shop's customers are mostly UTC+2/+3, evenings peak). */
const HOUR_WEIGHTS = [2, 1.2, 0.8, 0.6, 0.6, 1, 2, 3.5, 5, 5.5, 5.5, 5.5, 5.5, 5.5, 6, 6.5, 7, 8, 8.5, 8, 6.5, 4.5, 3, 2.5];
const HOURS = HOUR_WEIGHTS.map((weight, hour) => ({ weight, value: hour }));
const CHANNELS_NEW = CHANNELS.map((c) => ({ weight: c.weight, value: c }));
const CHANNELS_RETURNING = CHANNELS.map((c) => ({ weight: c.weight * c.returningBias, value: c }));
const STATUSES = ORDER_STATUS.map((s) => ({ weight: s.weight, value: s.value }));

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Sessions per day: slow growth, weekly rhythm, some noise; exactly `total` in all. */
function dailyCounts(rng: Rng, total: number, days: number, startMs: number): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const weekday = new Date(startMs + d * DAY_MS).getUTCDay();
    const weekly = weekday === 0 || weekday === 6 ? 0.85 : weekday === 1 ? 1.1 : 1;
    weights.push((1 + (0.6 * d) / Math.max(1, days)) * weekly * (0.9 + 0.2 * rng.next()));
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  // Largest remainders get the sessions lost to rounding.
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; missing > 0; k++, missing--) counts[order[k % order.length].i]++;
  return counts;
}

/** A bounded pool of past visitors (returning visitors and repeat customers come from it). */
class Pool<T> {
  private items: T[] = [];
  private nextSlot = 0;
  constructor(private readonly capacity: number) {}
  add(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.nextSlot] = item;
      this.nextSlot = (this.nextSlot + 1) % this.capacity;
    }
  }
  get size(): number {
    return this.items.length;
  }
  pick(rng: Rng): T | undefined {
    return this.items.length ? this.items[Math.floor(rng.next() * this.items.length)] : undefined;
  }
}

type Touch = { channel: Channel; campaign?: Campaign; creative?: Creative; term?: string };

function chooseTouch(rng: Rng, returning: boolean): Touch {
  const channel = rng.weighted(returning ? CHANNELS_RETURNING : CHANNELS_NEW);
  if (!channel.campaigns) return { channel };
  const campaign = rng.weighted(channel.campaigns.map((c) => ({ weight: c.weight, value: c })));
  const creative = campaign.creatives ? rng.weighted(campaign.creatives.map((c) => ({ weight: c.weight, value: c }))) : undefined;
  const term = campaign.terms ? rng.pick(campaign.terms) : undefined;
  return { channel, campaign, creative, term };
}

function landingUrl(rng: Rng, touch: Touch, path: string): string {
  const u = new URL(path, DEMO_HOST);
  const { channel, campaign, creative, term } = touch;
  if (channel.utm) {
    u.searchParams.set("utm_source", channel.utm.source);
    u.searchParams.set("utm_medium", channel.utm.medium);
    if (campaign) u.searchParams.set("utm_campaign", campaign.taggedAs ?? campaign.name);
    if (creative) u.searchParams.set("utm_content", creative.content);
    if (term) u.searchParams.set("utm_term", term);
  }
  if (channel.gclid) u.searchParams.set("gclid", `Cj0K${Math.floor(rng.next() * 1e12).toString(36)}`);
  return u.toString();
}

function conversionRate(touch: Touch, device: keyof typeof DEVICE_FACTOR): number {
  const base = touch.creative?.conversionRate ?? touch.campaign?.conversionRate ?? touch.channel.conversionRate;
  // The A/B creatives keep their exact rates so the A/B block shows the designed difference.
  return touch.campaign?.name === AB_CAMPAIGN ? base : base * DEVICE_FACTOR[device];
}

export function* generateDemo(opts: DemoOptions): Generator<DemoChunk> {
  const seed = opts.seed ?? 1;
  const days = Math.max(1, Math.floor(opts.days ?? 180));
  const nowMs = (opts.now ?? new Date()).getTime();
  const maxRecords = opts.maxRecords ?? 9_000;
  const rng = createRng(seed);
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const startMs = todayStart - (days - 1) * DAY_MS;
  const counts = dailyCounts(rng, Math.max(0, Math.floor(opts.sessions)), days, startMs);

  const visitors = new Pool<Visitor>(50_000);
  const customers = new Pool<Visitor>(20_000);
  let orderNo = 0;
  let customerNo = 0;
  let sessionsDone = 0;
  let chunk: DemoChunk = { sessions: [], events: [], orders: [], adSpend: [], sessionsDone: 0 };
  const records = () => chunk.sessions.length + chunk.events.length + chunk.orders.length;

  for (let d = 0; d < days; d++) {
    const dayStart = startMs + d * DAY_MS;
    // Today: spread its sessions over the hours that have passed, never in the future.
    const dayLength = dayStart === todayStart ? Math.max(60_000, nowMs - dayStart - 60_000) : DAY_MS;
    const times: number[] = [];
    for (let i = 0; i < counts[d]; i++) {
      const hour = rng.weighted(HOURS);
      times.push(dayStart + Math.floor(((hour + rng.next()) / 24) * dayLength));
    }
    times.sort((a, b) => a - b);
    const clicks = new Map<string, { source: string; campaign: string; clicks: number; cpc: [number, number] }>();

    for (const startedAt of times) {
      // Who: a past customer coming back, a returning visitor, or someone new.
      let visitor: Visitor | undefined;
      const r = rng.next();
      if (r < 0.06) visitor = customers.pick(rng);
      else if (r < 0.3) visitor = visitors.pick(rng);
      const returning = visitor !== undefined;
      if (!visitor) {
        visitor = { id: rng.uuid(), country: rng.weighted(COUNTRIES), ua: rng.weighted(USER_AGENTS), orders: 0, sessions: 0 };
        visitors.add(visitor);
      }
      const touch = chooseTouch(rng, returning);
      let p = conversionRate(touch, visitor.ua.device);
      if (visitor.customerId) p = visitor.orders >= 4 ? 0 : Math.max(p, 0.12); // loyal customers buy again
      const converted = rng.chance(p);

      const sessionId = rng.uuid();
      visitor.sessions++;
      const landingPath = touch.campaign?.name === AB_CAMPAIGN ? "/catalog/sale" : rng.pick(CATEGORY_PATHS);
      const referrer = rng.pick(touch.channel.referrers);
      chunk.sessions.push({
        id: sessionId,
        visitor_id: visitor.id,
        started_at: new Date(startedAt).toISOString(),
        landing_url: landingUrl(rng, touch, landingPath),
        ...(referrer ? { referrer } : {}),
        country: visitor.country,
        user_agent: visitor.ua.ua,
      });
      if (touch.channel.cpc && touch.channel.utm && touch.campaign) {
        const key = `${touch.channel.utm.source}|${touch.campaign.name}`;
        const c = clicks.get(key) ?? { source: touch.channel.utm.source, campaign: touch.campaign.name, clicks: 0, cpc: touch.channel.cpc };
        c.clicks++;
        clicks.set(key, c);
      }

      // What they did: a funnel walk; a buyer always passes every step.
      let t = startedAt;
      const event = (type: DemoEvent["type"], path: string, properties?: DemoEvent["properties"]) => {
        chunk.events.push({ id: rng.uuid(), session_id: sessionId, type, occurred_at: new Date(Math.min(t, nowMs)).toISOString(), path, ...(properties ? { properties } : {}) });
        t += rng.int(8, 150) * 1000;
      };
      event("page_view", landingPath);
      const bounced = !converted && rng.chance(0.32);
      if (!bounced) {
        const product = rng.pick(PRODUCTS);
        const pages = 1 + Math.min(10, Math.floor(-Math.log(1 - rng.next()) * 2.2));
        for (let i = 0; i < pages; i++) event("page_view", rng.pick(CATEGORY_PATHS));
        const viewed = converted || rng.chance(0.55);
        if (viewed) {
          event("page_view", `/product/${product.slug}`);
          event("product_view", `/product/${product.slug}`, { product_id: product.slug, price: product.price });
          const carted = converted || rng.chance(0.35);
          if (carted) {
            const qty = rng.chance(0.8) ? 1 : rng.int(2, 3);
            event("add_to_cart", `/product/${product.slug}`, { product_id: product.slug, quantity: qty });
            if (converted || rng.chance(0.5)) {
              event("checkout_start", "/checkout", { value: product.price * qty });
            }
          }
        }
      }

      if (converted) {
        if (!visitor.customerId) {
          visitor.customerId = `demo-${seed}-c${++customerNo}`;
          customers.add(visitor);
        }
        visitor.orders++;
        const items = rng.chance(0.7) ? 1 : rng.int(2, 4);
        const total = Math.round(Math.exp(7.1 + 0.55 * rng.normal()) * items * 100) / 100;
        const status = rng.weighted(STATUSES);
        chunk.orders.push({
          order_id: `demo-${seed}-${String(++orderNo).padStart(7, "0")}`,
          customer_id: visitor.customerId,
          visitor_id: visitor.id,
          // A first-visit buyer's order names its tagged session. A direct visit's order, and the
          // order of a visitor with earlier sessions (a touchpoint path), is left to attribution
          // (SPEC 3.3, 13), so the attribution models credit the path differently.
          ...(touch.channel.key !== "direct" && visitor.sessions === 1 ? { session_id: sessionId } : {}),
          total: Math.max(99, total),
          status,
          placed_at: new Date(Math.min(t, nowMs)).toISOString(),
          items,
        });
      }
      sessionsDone++;
      if (records() >= maxRecords - 40) {
        chunk.sessionsDone = sessionsDone;
        yield chunk;
        chunk = { sessions: [], events: [], orders: [], adSpend: [], sessionsDone };
      }
    }

    // The day's ad spend of every paid source+campaign, from its clicks and cost per click.
    for (const c of clicks.values()) {
      const cpc = c.cpc[0] + rng.next() * (c.cpc[1] - c.cpc[0]);
      chunk.adSpend.push({ date: isoDate(dayStart), utm_source: c.source, utm_campaign: c.campaign, amount: Math.round(c.clicks * cpc * 100) / 100 });
    }
  }
  chunk.sessionsDone = sessionsDone;
  if (records() > 0 || chunk.adSpend.length > 0) yield chunk;
}
