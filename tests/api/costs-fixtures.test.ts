import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { POST as adSpendPost } from "@/app/api/utm/ad-spend/route";
import { importFile } from "@/cli/import/import-file";
import { createApiToken } from "@/lib/auth/api-tokens";
import { decodeCostFile } from "@/lib/costs/decode";
import { importCostCsv, type CostImportOptions } from "@/lib/costs/import";
import { rows } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeRates } from "@/lib/ingest/rates";
import { describeDb } from "../helpers/db";

/**
 * The cost exports of tests/fixtures/costs (README there: what each is shaped on), each imported
 * through the one decoder and the import every door uses, with its hand-computed total in UAH,
 * or refused with a message naming the fix. Day rates stored for the conversions (UAH per unit):
 * USD 2026-02-23 41.5, USD 2026-03-01 41, EUR 2026-03-01 45, EUR 2026-03-02 45.5; no GBP rate.
 * A day without its own rate takes the latest one at most 7 days before (SPEC 17.5).
 */

const bytes = (name: string) => new Uint8Array(readFileSync(path.join(__dirname, "..", "fixtures", "costs", name)));

type Imported = { format: string; source: string | null; currency: string | null; rows: number; total: number; total_original?: number | null; skipped?: number };
type Refused = { refused: string | RegExp; path: string };
type Case = [file: string, opts: Partial<CostImportOptions>, expected: Imported | Refused];

const GOOGLE = { format: "google-ads", source: "google", currency: "UAH", rows: 3, total: 3634.66, total_original: null };
const META = { format: "meta", source: "facebook", currency: "UAH", rows: 3, total: 315.25 };
const TIKTOK = { format: "tiktok", source: "tiktok", currency: "UAH", rows: 2, total: 1200.4 };

const CASES: Case[] = [
  // 1,234.56 + 400.00 + 2,000.10 = 3,634.66 (the 0.00 line skipped; "Total:" lines are not rows)
  ["google-ads-en.csv", {}, GOOGLE],
  ["google-ads-uk.csv", {}, GOOGLE],
  ["google-ads-ru.csv", {}, GOOGLE],
  // UTF-16 LE with BOM, tab-separated, two title lines and two Total rows: 1,234.56 + 400 + 2,000.10
  ["google-ads-excel-en.tsv", {}, { ...GOOGLE, rows: 3, total: 3634.66 }],
  // UTF-16 BE, Ukrainian, EUR: 1 000,00 × 45 = 45,000.00; 200,50 × 45.5 = 9,122.75 → 54,122.75 (1,200.50 EUR)
  ["google-ads-uk-eur-utf16be.csv", {}, { format: "google-ads", source: "google", currency: "EUR", rows: 2, total: 54122.75, total_original: 1200.5 }],
  // "Mon, 23 Feb 2026", Cost (USD): 1,234.56 × 41.5 = 51,234.24; 02-24 has no rate → 02-23's: 100 × 41.5 = 4,150 → 55,384.24
  ["google-ads-weekday-usd.csv", {}, { format: "google-ads", source: "google", currency: "USD", rows: 2, total: 55384.24, total_original: 1334.56 }],
  ["google-ads-totals-en.csv", {}, { refused: /has no Day column: export the Campaigns report with the Day segment/, path: "file" }],
  ["google-ads-near-miss.csv", {}, { refused: "This looks like a Google Ads export, but column 'Cost' not found; did you mean 'Costs'?", path: "file" }],
  // 120.50 + 79.50 (one day, two ad sets) + 50 + 65.25 = 315.25
  ["meta-en.csv", {}, META],
  ["meta-uk.csv", {}, META],
  ["meta-ru.csv", {}, META],
  // USD: 10 × 41 = 410 (03-01); 2.50 × 41 = 102.50 (03-02 takes 03-01's rate) → 512.50
  ["meta-usd-en.csv", {}, { format: "meta", source: "facebook", currency: "USD", rows: 2, total: 512.5, total_original: 12.5 }],
  // The given rate replaces the day rates: (10 + 2.50) × 40 = 500
  ["meta-usd-en.csv", { rate: 40 }, { format: "meta", source: "facebook", currency: "USD", rows: 2, total: 500, total_original: 12.5 }],
  ["meta-period-en.csv", {}, { refused: /covers whole periods, not days/, path: "file" }],
  ["meta-no-currency-en.csv", {}, { refused: /^This Meta Ads Manager export names no currency .*\(currency=USD\), or --currency USD on the command line$/, path: "currency" }],
  // Given: 120.50 + 79.50 = 200 UAH
  ["meta-no-currency-en.csv", { currency: "UAH" }, { format: "meta", source: "facebook", currency: "UAH", rows: 2, total: 200 }],
  // Given EUR: 120.50 × 45 = 5,422.50; 79.50 × 45.5 = 3,617.25 → 9,039.75 (below). Given USD: 120.50 × 41 + 79.50 × 41 = 4,940.50 + 3,259.50 = 8,200
  ["meta-no-currency-en.csv", { currency: "usd" }, { format: "meta", source: "facebook", currency: "USD", rows: 2, total: 8200, total_original: 200 }],
  ["meta-no-currency-en.csv", { currency: "EUR", source: "x" }, { format: "meta", source: "x", currency: "EUR", rows: 2, total: 9039.75, total_original: 200 }],
  // "1.234,56" (EUR in the title): × 45 = 55,555.20; 10,00 × 45.5 = 455 → 56,010.20
  ["meta-eur-de.csv", {}, { format: "meta", source: "facebook", currency: "EUR", rows: 2, total: 56010.2, total_original: 1244.56 }],
  ["meta-eur-de.csv", { currency: "USD" }, { refused: "The file is in EUR, but currency USD was given: leave currency empty or give EUR", path: "currency" }],
  ["meta-mixed-currency.csv", {}, { refused: "This export mixes the currencies EUR, USD: import one currency per file", path: "currency" }],
  // 150 + 1,050.40 ("--" is zero cost, skipped)
  ["tiktok-en.csv", {}, TIKTOK],
  ["tiktok-uk.csv", {}, TIKTOK],
  ["tiktok-ru.csv", {}, TIKTOK],
  // "US$12.50" × 41 = 512.50; "US$1,000.00" × 41 = 41,000 → 41,512.50
  ["tiktok-usd-symbols.csv", {}, { format: "tiktok", source: "tiktok", currency: "USD", rows: 2, total: 41512.5, total_original: 1012.5 }],
  // "1 234,56 грн" + "65,44 грн" = 1,300
  ["tiktok-uk-hryvnia.csv", {}, { format: "tiktok", source: "tiktok", currency: "UAH", rows: 2, total: 1300 }],
  // USD at 41 (03-02 falls back to 03-01): (20 + 5.25 + 10) × 41 = 820 + 215.25 + 410 = 1,445.25
  ["microsoft-ads-api-usd.csv", {}, { format: "microsoft-ads", source: "bing", currency: "USD", rows: 3, total: 1445.25, total_original: 35.25 }],
  ["microsoft-ads-ui-gbp.csv", {}, { refused: /no GBP rate is stored for 2026-03-01 .*rates import/, path: "rate" }],
  // £30.00 × 52 = 1,560
  ["microsoft-ads-ui-gbp.csv", { rate: 52 }, { format: "microsoft-ads", source: "bing", currency: "GBP", rows: 1, total: 1560, total_original: 30 }],
  // 100.50 + 80
  ["generic.csv", {}, { format: "generic", source: null, currency: null, rows: 2, total: 180.5 }],
  // "1 234,56" + "₴80,00" = 1,314.56
  ["generic-locale.csv", {}, { format: "generic", source: null, currency: null, rows: 2, total: 1314.56 }],
  ["generic-near-miss.csv", {}, { refused: "This looks like a cost CSV (date, utm_source, utm_campaign, amount), but column 'utm_campaign' not found; did you mean 'utm_campaing'?", path: "file" }],
];

const RATES = [
  { date: "2026-02-23", currency: "USD", rate: 41.5 },
  { date: "2026-03-01", currency: "USD", rate: 41 },
  { date: "2026-03-01", currency: "EUR", rate: 45 },
  { date: "2026-03-02", currency: "EUR", rate: 45.5 },
];

describeDb("cost exports of the platforms (SPEC 14, 17.5)", (ctx) => {
  it("covers at least twenty fixture files", () => {
    expect(new Set(CASES.map((c) => c[0])).size).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)("%s %j", async (file, opts, expected) => {
    const db = ctx.handle.db;
    await storeRates(db, RATES, "file");
    const run = () => importCostCsv(db, decodeCostFile(bytes(file)), { appCurrency: "UAH", ...opts });
    if ("refused" in expected) {
      const err = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      const e = err as AppError;
      expect(e.code).toBe("invalid_input");
      if (typeof expected.refused === "string") expect(e.message).toBe(expected.refused);
      else expect(e.message).toMatch(expected.refused);
      expect(e.issues?.[0]?.path).toBe(expected.path);
      const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ad_spend`);
      expect(n).toBe(0);
      return;
    }
    const answer = await run();
    expect(answer).toMatchObject(expected);
    // What is stored is what the answer says: Σ amount in UAH.
    const [{ total }] = await rows<{ total: number }>(db, sql`select coalesce(sum(amount), 0)::float8 as total from ad_spend`);
    expect(total).toBeCloseTo(expected.total, 2);
  });

  it("POST /api/utm/ad-spend reads the UTF-16 files the CLI reads (body and multipart); currency comes from the form; bad currency is 400", async () => {
    const db = ctx.handle.db;
    await storeRates(db, RATES, "file");
    const ingest = (await createApiToken(db, { name: "i", scopes: ["ingest"] })).token;
    type Handler = (req: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
    const post = (qs: string, body: BodyInit, type?: string) =>
      (adSpendPost as unknown as Handler)(
        new Request(`http://x/api/utm/ad-spend${qs}`, { method: "POST", body, headers: { authorization: `Bearer ${ingest}`, ...(type ? { "content-type": type } : {}) } }),
        { params: Promise.resolve({}) },
      );
    // UTF-16 LE "Excel CSV" as the raw body: 3,634.66 (as in the table above)
    const le = await post("?dry_run=1", bytes("google-ads-excel-en.tsv"), "text/csv");
    expect([le.status, await le.json()]).toMatchObject([200, { format: "google-ads", rows: 3, total: 3634.66 }]);
    // UTF-16 BE as a form file (the dashboard upload): EUR at the day rates, 54,122.75
    const form = new FormData();
    form.append("file", new Blob([bytes("google-ads-uk-eur-utf16be.csv")], { type: "text/csv" }), "google.csv");
    const be = await post("", form);
    expect([be.status, await be.json()]).toMatchObject([200, { currency: "EUR", rows: 2, total: 54122.75, day_rates: { "2026-03-01": 45, "2026-03-02": 45.5 } }]);
    // No currency in the file: the form's currency field names it (USD at 41: 200 × 41 = 8,200)
    const meta = new FormData();
    meta.append("file", new Blob([bytes("meta-no-currency-en.csv")], { type: "text/csv" }), "meta.csv");
    const refused = await post("", meta);
    expect([refused.status, (await refused.json()).issues]).toEqual([400, [{ path: "currency", message: "is required: the export names no currency" }]]);
    meta.append("currency", "usd");
    const given = await post("", meta);
    expect([given.status, await given.json()]).toMatchObject([200, { currency: "USD", total: 8200, total_original: 200 }]);
    for (const qs of ["?currency=XX", "?currency=ZZZ", "?currency=US%00D", `?currency=${"U".repeat(5000)}`, "?currency=USD&currency=EUR"]) {
      const r = await post(qs, bytes("meta-no-currency-en.csv"), "text/csv");
      expect([r.status, qs]).toEqual([400, qs]);
      expect(typeof (await r.json()).error).toBe("string");
    }
    // A lone UTF-16 surrogate half in a UTF-16 body is refused, not stored (SPEC 21).
    const broken = new Uint8Array([0xff, 0xfe, ...Buffer.from("date,utm_source,amount\n2026-03-01,g,1\n", "utf16le"), 0x00, 0xd8]);
    expect((await post("", broken, "text/csv")).status).toBe(400);
  });

  it("CLI import: --currency names the currency of a file that names none; a near-miss header is refused naming the column", async () => {
    const db = ctx.handle.db;
    await storeRates(db, RATES, "file");
    const dir = mkdtempSync(path.join(tmpdir(), "utmd-costs-cli-"));
    const file = path.join(dir, "meta.csv");
    writeFileSync(file, bytes("meta-no-currency-en.csv"));
    await expect(importFile(db, file)).rejects.toThrow(/names no currency/);
    expect((await importFile(db, file, () => {}, { currency: "EUR" })).costs).toMatchObject({ currency: "EUR", total: 9039.75 });
    const near = path.join(dir, "near.csv");
    writeFileSync(near, bytes("google-ads-near-miss.csv"));
    await expect(importFile(db, near)).rejects.toThrow("column 'Cost' not found; did you mean 'Costs'?");
  });
});
