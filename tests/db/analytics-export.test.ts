import { expect, it } from "vitest";
import { csvChunk, toCsv } from "@/lib/analytics/csv";
import { exportFilename, sessionsCsvStream } from "@/lib/analytics/export-csv";
import { describeDb } from "../helpers/db";
import { loadFixture, march, S } from "../fixtures/analytics-fixture";

it("csv cells starting with = + - @ tab CR get a leading quote; numbers are left alone", () => {
  const out = toCsv(["a", "b"], [["=1+1", -5], ["+x", "@y"], ["-z", "\tq"], ["\rr", "plain"]]);
  expect(out).toBe(`a,b\r\n"'=1+1",-5\r\n"'+x","'@y"\r\n"'-z","'\tq"\r\n"'\rr",plain\r\n`);
  expect(csvChunk(["a"], [], true)).toBe("a\r\n");
  expect(exportFilename("roi", { range: { start: "2026-03-01", end: "2026-03-31" } })).toBe("utm-roi-2026-03-01-2026-03-31.csv");
});

describeDb("analytics: streamed sessions export", (ctx) => {
  it("pulls keyset chunks: header once, every session once, newest first", async () => {
    await loadFixture(ctx.handle.db);
    // Chunks of 2 rows: 5 sessions → 3 queries; the header is written only with the first.
    const text = await new Response(sessionsCsvStream(ctx.handle.db, march(), 2)).text();
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(6); // header + 5
    expect(lines[0]).toBe("id,started_at,visitor_id,utm_source,utm_medium,utm_campaign,utm_content,utm_term,country,device,browser,os,page_views,is_returning,is_converted,revenue");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([S.S5, S.S4, S.S3, S.S2, S.S1]);
    expect(lines[3]).toBe(`${S.S3},2026-03-05T10:00:00.000Z,v2,facebook,paid,spring,a,(none),PL,mobile,Chrome,Android,2,false,true,250.5`);
  });
});
