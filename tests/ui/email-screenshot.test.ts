import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chromium } from "playwright-core";
import { renderReport } from "@/lib/reports/render";
import { sampleReport } from "../fixtures/report-fixture";

/**
 * Renders the report e-mail in Debian's Chromium at a 600 px viewport (the width mail clients
 * give a message) and keeps the screenshots as artifacts a person can look at. The assertions
 * check what would make the e-mail unreadable: horizontal overflow past 600 px.
 */

const ARTIFACTS = path.resolve("e2e-artifacts");

describe("e-mail report in a browser at 600 px", () => {
  it("fits 600 px without horizontal scrolling, in both languages, and is saved as a screenshot", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      for (const lang of ["en", "uk"] as const) {
        const r = await renderReport(sampleReport(), lang);
        const htmlFile = path.join(ARTIFACTS, `email-report-${lang}.html`);
        writeFileSync(htmlFile, r.html);
        const page = await browser.newPage({ viewport: { width: 600, height: 900 } });
        await page.goto(`file://${htmlFile}`);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(600);
        const suffix = lang === "en" ? "" : `-${lang}`;
        await page.screenshot({ path: path.join(ARTIFACTS, `email-report-600${suffix}.png`), fullPage: true });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
