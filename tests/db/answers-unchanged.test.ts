import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { expect, it } from "vitest";
import { describeDb } from "../helpers/db";
import { collectAnswers, type Answer } from "@/scripts/answers/collect";

/**
 * Every analytics answer (each endpoint × five parameter sets, every CSV export) on a small seeded
 * demo set is what tests/fixtures/answers/ recorded: a refactor that claims "same behaviour" is
 * held to it on both drivers. The fixture was recorded before the one-home-per-concept refactor
 * (issue 24); `UPDATE_ANSWERS=1 npx vitest run tests/db/answers-unchanged.test.ts` re-records it
 * (PGlite) after an intended change, which then shows in the diff of the commit.
 *
 * Additions are not changes: a key or CSV column the fixture does not have (a new figure) and an
 * answer the fixture does not list (a new endpoint) pass; every recorded value must be there, the
 * same, in the same order.
 */

const DIR = path.join(import.meta.dirname, "../fixtures/answers");
// Small enough for CI (the ~230 calls dominate, not the data), large enough that every report has
// rows, ties and both sides of an A/B test; 110 days reach the `custom` variant's March.
const OPTIONS = { sessions: 400, days: 110, seed: 7, now: new Date("2026-06-15T10:30:00.000Z") };

type Recorded = { status: number; type: string; disposition: string; body: unknown };

const isCsv = (type: string) => type.startsWith("text/csv");
const decode = (a: Answer): unknown => (isCsv(a.type) ? a.body : JSON.parse(a.body));
const groupOf = (file: string) => file.split("__")[0]!;

function record(answers: Map<string, Answer>): void {
  mkdirSync(DIR, { recursive: true });
  const groups = new Map<string, Record<string, Recorded>>();
  for (const [file, a] of [...answers].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const g = groups.get(groupOf(file)) ?? {};
    g[file.slice(groupOf(file).length + 2)] = { status: a.status, type: a.type, disposition: a.disposition, body: decode(a) };
    groups.set(groupOf(file), g);
  }
  for (const [name, g] of groups) writeFileSync(path.join(DIR, `${name}.json`), JSON.stringify(g, null, 1) + "\n");
}

function recorded(): Map<string, Recorded> {
  const out = new Map<string, Recorded>();
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".json"))) {
    const g = JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Record<string, Recorded>;
    for (const [variant, a] of Object.entries(g)) out.set(`${f.slice(0, -5)}__${variant}`, a);
  }
  return out;
}

/** `actual` holds everything `expected` holds (objects may have more keys); the first difference, or undefined. */
export function firstDifference(expected: unknown, actual: unknown, at = "$"): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array`;
    if (actual.length !== expected.length) return `${at}: ${actual.length} items, recorded ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], actual[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${at}: expected an object`;
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) return `${at}.${k}: missing`;
      const d = firstDifference(v, (actual as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${at}: ${JSON.stringify(actual)}, recorded ${JSON.stringify(expected)}`;
}

/** CSV as rows of header → cell, so a new column is an added key. */
const csvRows = (body: string) => Papa.parse<Record<string, string>>(body.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;

it("firstDifference lets additions pass and catches a changed, missing or reordered value", () => {
  expect(firstDifference({ a: 1, rows: [{ k: "x" }] }, { a: 1, b: 2, rows: [{ k: "x", m: 0 }] })).toBeUndefined();
  expect(firstDifference({ a: 1 }, { a: 2 })).toBe("$.a: 2, recorded 1");
  expect(firstDifference({ a: 1 }, {})).toBe("$.a: missing");
  expect(firstDifference([1, 2], [2, 1])).toBe("$[0]: 2, recorded 1");
  expect(firstDifference([1], [1, 3])).toBe("$: 2 items, recorded 1");
  expect(firstDifference(csvRows("a,b\n1,2\n"), csvRows("a,c,b\n1,9,2\n"))).toBeUndefined();
  expect(firstDifference(csvRows("a,b\n1,2\n"), csvRows("a,b\n1,3\n"))).toBe('$[0].b: "3", recorded "2"');
});

describeDb("answers unchanged (tests/fixtures/answers)", (ctx) => {
  it("every recorded answer is given again, value for value", { timeout: 240_000 }, async () => {
    const answers = await collectAnswers(ctx.handle.db, OPTIONS);
    if (process.env.UPDATE_ANSWERS === "1" && ctx.driver === "pglite") record(answers);
    const before = recorded();
    expect(before.size).toBeGreaterThan(100);
    const differences: string[] = [];
    for (const [file, was] of before) {
      const now = answers.get(file);
      if (!now) {
        differences.push(`${file}: no longer answered`);
        continue;
      }
      const head = firstDifference({ status: was.status, type: was.type, disposition: was.disposition }, now);
      const body = isCsv(was.type)
        ? firstDifference(csvRows(was.body as string), csvRows(now.body))
        : firstDifference(was.body, decode(now));
      if (head ?? body) differences.push(`${file}: ${head ?? body}`);
    }
    expect(differences).toEqual([]);
  });
});
