import { expect, it, vi } from "vitest";
import { GET as exportCsv } from "@/app/api/utm/export-csv/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { toCsv } from "@/lib/analytics/csv";
import { describeDb } from "../helpers/db";
import { loadFixture } from "../fixtures/analytics-fixture";

vi.mock("@/lib/http/session", () => ({ getSessionUser: async () => undefined }));

/**
 * Issue 22: CSV exports that Excel opens in columns under a Ukrainian locale — `format=excel`
 * starts with the UTF-8 BOM, separates cells with `;` and writes numbers with a decimal comma;
 * the default stays RFC 4180 for programs (no BOM, `,`, `.`).
 */

const RANGE = "start_date=2026-03-01&end_date=2026-03-31";

describeDb("CSV for Excel", (ctx) => {
  async function bytes(query: string): Promise<{ status: number; type: string | null; raw: Uint8Array }> {
    const { token } = await createApiToken(ctx.handle.db, { name: "csv", scopes: ["read"] });
    const res = await exportCsv(new Request(`http://localhost:3000/api/utm/export-csv?${query}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({}),
    });
    return { status: res.status, type: res.headers.get("content-type"), raw: new Uint8Array(await res.arrayBuffer()) };
  }

  it("format=excel: BOM, `;` and decimal commas; the default has none of them", async () => {
    await loadFixture(ctx.handle.db);
    const excel = await bytes(`report=sources&${RANGE}&format=excel`);
    expect(excel.status).toBe(200);
    expect([...excel.raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(excel.raw.slice(3));
    const lines = text.split("\r\n");
    const header = lines[0].split(";");
    expect(header.slice(0, 8)).toEqual(["key", "sessions", "visitors", "conversions", "conversion_rate", "orders", "revenue", "net_revenue"]);
    // google in March: S1, S2 (v1), S5 (v2) = 3 sessions, 2 visitors; S1 converted (o1 100) →
    // conversion rate 1 / 3 = 33.33 %, 1 order, revenue 100, net 100 (o1r is its own refunded
    // order, not a refund of o1), revenue per session 100 / 3 = 33.33.
    const google = Object.fromEntries(lines.find((l) => l.startsWith("google;"))!.split(";").map((v, i) => [header[i], v]));
    expect(google).toMatchObject({ sessions: "3", visitors: "2", conversions: "1", conversion_rate: "33,33", orders: "1", revenue: "100", net_revenue: "100", aov: "100", revenue_per_session: "33,33" });
    const plain = await bytes(`report=sources&${RANGE}`);
    expect(plain.raw[0]).toBe("k".charCodeAt(0));
    const plainLines = new TextDecoder().decode(plain.raw).split("\r\n");
    expect(plainLines[0]).toBe(header.join(","));
    const plainGoogle = Object.fromEntries(plainLines.find((l) => l.startsWith("google,"))!.split(",").map((v, i) => [header[i], v]));
    expect(plainGoogle).toMatchObject({ conversion_rate: "33.33", revenue_per_session: "33.33", revenue: "100" });
  });

  it("the sessions stream starts with the BOM once; a bad format is 400 naming it", async () => {
    await loadFixture(ctx.handle.db);
    const s = await bytes(`report=sessions&${RANGE}&format=excel`);
    expect([...s.raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // ignoreBOM: keep the mark in the text (a TextDecoder drops it by default).
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(s.raw);
    expect(text.indexOf("\uFEFF", 1)).toBe(-1);
    expect(text.split("\r\n")[0]).toMatch(/^\uFEFFid;started_at;visitor_id;/);
    const bad = await bytes(`report=sources&${RANGE}&format=xlsx`);
    expect(bad.status).toBe(400);
  });
});

it("excel cells: formulas neutralised, `;` and quotes quoted, negative and fractional numbers with a comma", () => {
  expect(toCsv(["a", "b", "c"], [["=1+1", "x;y", -2.5], ['say "hi"', null, 1e21]], "excel")).toBe(
    "\uFEFFa;b;c\r\n\"'=1+1\";\"x;y\";-2,5\r\n\"say \"\"hi\"\"\";;1e+21\r\n",
  );
});
