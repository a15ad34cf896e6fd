import { z } from "zod";
import { zodIssues, type Issue } from "@/lib/errors";

/**
 * Record fields defined once, for zod and for a fast path generated from the same spec.
 *
 * zod is the definition of every ingested field and the only source of error messages. With zod
 * alone, a 10,000-record batch of tracker-like records took 2.2× the CPU of the hand-written check
 * it had beside it (demo records 1.3×; `npx tsx scripts/bench-batch-validation.ts`), and
 * `seed-demo`/`import` push millions of records through the batch path. So the builders below
 * make each field twice from ONE spec (type, length limits, normaliser): the zod schema, and a
 * fast check that accepts a subset of what the schema accepts and returns exactly the schema's
 * output, or answers SLOW. `recordSchema` makes a z.object and derives the record's fast check
 * from its shape (the field names) and its rules. A SLOW record goes through zod, which reports
 * the issues: a message exists in one place only, and a limit is one number read by both.
 * tests/unit/ingest-record-fields.test.ts feeds the same hostile inputs to both and expects the same
 * answers.
 */

/** "Not decided here": the value goes through zod. */
export const SLOW: unique symbol = Symbol("slow");
export type Fast<T> = (value: unknown) => T | typeof SLOW;

const fastChecks = new WeakMap<z.ZodType, Fast<unknown>>();

function withFast<S extends z.ZodType>(schema: S, fast: Fast<z.output<S>>): S {
  fastChecks.set(schema, fast);
  return schema;
}

/** A normaliser's refusal: the message of the one issue zod reports for the value. */
export class Refusal {
  constructor(readonly message: string) {}
}
export const refuse = (message: string): Refusal => new Refusal(message);

type Limit = readonly [length: number, message: string];

type TextSpec<T> = {
  /** The message when the value is not a string (nor null/undefined for a nullish field). */
  notString: string;
  min?: Limit;
  max?: Limit;
  /** Turns a string within the limits into the stored value, or refuses it. */
  normalise?: (s: string) => T | Refusal;
  /** The fast check decides absent and blank (whitespace) values only; other strings go to zod. */
  fastOnlyBlank?: true;
};

/**
 * A string field: `z.string().min().max()`, then the normaliser as a transform (its refusal is one
 * custom issue). `nullishText` also takes null/undefined, both answered undefined.
 */
export function textField<T = string>(spec: TextSpec<T>): z.ZodType<T> {
  const { normalise } = spec;
  const base = lengthChecked(spec);
  const schema = normalise
    ? base.transform((s, ctx) => {
        const r = normalise(s);
        if (!(r instanceof Refusal)) return r;
        ctx.addIssue({ code: "custom", message: r.message });
        return z.NEVER;
      })
    : base;
  return withFast(schema as unknown as z.ZodType<T>, fastText(spec, false) as Fast<T>);
}

export function nullishText<T = string>(spec: TextSpec<T>): z.ZodType<T | undefined> {
  const normalise = spec.normalise ?? ((s: string) => s as unknown as T);
  const schema = lengthChecked(spec)
    .nullish()
    .transform((s, ctx) => {
      if (s === null || s === undefined) return undefined;
      const r = normalise(s);
      if (!(r instanceof Refusal)) return r;
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    });
  return withFast(schema as unknown as z.ZodType<T | undefined>, fastText({ ...spec, normalise }, true) as Fast<T | undefined>);
}

function lengthChecked(spec: TextSpec<unknown>) {
  let s = z.string({ error: spec.notString });
  if (spec.min) s = s.min(spec.min[0], spec.min[1]);
  if (spec.max) s = s.max(spec.max[0], spec.max[1]);
  return s;
}

function fastText<T>(spec: TextSpec<T>, nullish: boolean): Fast<T | undefined> {
  const min = spec.min?.[0] ?? 0;
  const max = spec.max?.[0] ?? Infinity;
  const { normalise, fastOnlyBlank } = spec;
  return (v) => {
    if (v === null || v === undefined) return nullish ? undefined : SLOW;
    // zod's length checks count UTF-16 code units, as .length does.
    if (typeof v !== "string" || v.length < min || v.length > max) return SLOW;
    if (fastOnlyBlank && v.trim() !== "") return SLOW;
    if (!normalise) return v as T;
    const r = normalise(v);
    return r instanceof Refusal ? SLOW : r;
  };
}

/** One of a fixed list of strings (z.enum); one message for any other value. */
export function enumField<const V extends readonly [string, ...string[]]>(values: V, message: string) {
  const set = new Set<unknown>(values);
  return withFast(z.enum(values, { error: message }), (v) => (set.has(v) ? (v as V[number]) : SLOW));
}

/**
 * An optional JSON object (string keys) of at most `maxBytes` as UTF-8 JSON; an empty or absent
 * one is answered undefined.
 */
export function nullishJsonObject(spec: { notObject: string; maxBytes: Limit }) {
  const [maxBytes, tooBig] = spec.maxBytes;
  const fits = (v: object) => Buffer.byteLength(JSON.stringify(v), "utf8") <= maxBytes;
  const schema = z
    .record(z.string(), z.unknown(), { error: spec.notObject })
    .nullish()
    .superRefine((v, ctx) => {
      if (v && !fits(v)) ctx.addIssue({ code: "custom", message: tooBig });
    })
    .transform((v) => (v && Object.keys(v).length > 0 ? v : undefined));
  return withFast(schema, (v) => {
    if (v === null || v === undefined) return undefined;
    // z.record copies the keys into a new object, where an own "__proto__" key (JSON.parse makes
    // one) sets the prototype instead: the key is dropped. Left to zod, so both answer the same.
    if (!isPlainRecord(v) || Object.hasOwn(v, "__proto__") || !fits(v)) return SLOW;
    return Object.keys(v).length > 0 ? v : undefined;
  });
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** What z.record accepts without question: an object made by JSON.parse (or a literal). */
const isPlainRecord = (v: unknown): v is Obj => {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A rule over a whole record: undefined when it holds, else the issue (on one field) zod reports. */
export type RecordRule<T> = (record: T) => { path: string; message: string } | undefined;

/**
 * z.object(shape) with `rules` as refinements, and its fast check derived from the same shape and
 * rules (registered when every field has one: fields made by the builders above or by another
 * recordSchema).
 */
export function recordSchema<Shape extends z.ZodRawShape>(shape: Shape, ...rules: RecordRule<z.output<z.ZodObject<Shape>>>[]) {
  type Out = z.output<z.ZodObject<Shape>>;
  const base = z.object(shape);
  const schema = rules.length
    ? base.superRefine((record, ctx) => {
        for (const rule of rules) {
          const issue = rule(record as Out);
          if (issue) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
        }
      })
    : base;
  const keys = Object.keys(shape);
  const fields = keys.map((key) => fastChecks.get(shape[key] as z.ZodType));
  if (fields.some((fast) => !fast)) return schema;
  const checks = fields as Fast<unknown>[];
  // Every output starts as a copy of one object with all keys, so all have one hidden class.
  const blank: Obj = Object.fromEntries(keys.map((key) => [key, undefined]));
  return withFast(schema, (raw) => {
    if (!isObject(raw)) return SLOW;
    const out: Obj = { ...blank };
    for (let i = 0; i < keys.length; i++) {
      const v = checks[i](raw[keys[i]]);
      if (v === SLOW) return SLOW;
      out[keys[i]] = v;
    }
    for (const rule of rules) if (rule(out as Out)) return SLOW;
    return out as Out;
  });
}

/** The fast check derived for `schema`; throws (at module load) when a field of it has none. */
export function fastCheckOf<S extends z.ZodType>(schema: S): Fast<z.output<S>> {
  const fast = fastChecks.get(schema);
  if (!fast) throw new Error("This schema has no fast check: build every field with lib/ingest/fields.ts");
  return fast as Fast<z.output<S>>;
}

/**
 * A record parser: the fast check first, zod for whatever it does not decide. Issues are pushed
 * with `path` before each field name; undefined then.
 */
export function recordParser<S extends z.ZodType>(schema: S): (raw: unknown, path: string, issues: Issue[]) => z.output<S> | undefined {
  const fast = fastCheckOf(schema);
  return (raw, path, issues) => {
    const v = fast(raw);
    if (v !== SLOW) return v;
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    issues.push(...zodIssues(r.error, path));
    return undefined;
  };
}
