import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver } from "@/lib/reports/deliver";

/**
 * The Resend path against a fake Resend API on 127.0.0.1: asserts the exact request the SDK
 * sends (POST /emails with the bearer key and the message as JSON, attachments base64).
 */

type Captured = { method: string; url: string; auth: string | undefined; body: Record<string, unknown> };

describe("delivery through Resend (fake API on 127.0.0.1)", () => {
  let server: Server;
  let baseUrl: string;
  const seen: Captured[] = [];
  let failNext = false;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: JSON.parse(raw || "{}") });
        res.setHeader("content-type", "application/json");
        if (failNext) {
          failNext = false;
          res.statusCode = 422;
          res.end(JSON.stringify({ statusCode: 422, name: "validation_error", message: "Invalid `from` field." }));
          return;
        }
        res.end(JSON.stringify({ id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const message = {
    from: "Reports <reports@shop.example>",
    to: "boss@shop.example",
    subject: "UTM report for the week: January 5 – 11, 2026",
    html: "<p>Hello</p>",
    text: "Hello",
    attachments: [
      { filename: "utm-sources-2026-01-05-2026-01-11.csv", content: "key,sessions\r\ngoogle,3\r\n" },
      { filename: "utm-ltv-2026-01-05-2026-01-11.csv", content: "utm_source,ltv\r\nгугл,1.5\r\n" },
    ],
  };

  it("sends from, to, subject, html, text and base64 attachments, and returns Resend's id", async () => {
    const res = await deliver(message, { kind: "resend", apiKey: "re_test_123", baseUrl }, "week-2026-01-05");
    expect(res).toEqual({ transport: "resend", id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" });
    expect(seen).toHaveLength(1);
    const req = seen[0];
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/emails");
    expect(req.auth).toBe("Bearer re_test_123");
    expect(req.body).toMatchObject({
      from: "Reports <reports@shop.example>",
      to: ["boss@shop.example"],
      subject: "UTM report for the week: January 5 – 11, 2026",
      html: "<p>Hello</p>",
      text: "Hello",
    });
    const atts = req.body.attachments as { filename: string; content: string; content_type?: string }[];
    expect(atts.map((a) => a.filename)).toEqual(["utm-sources-2026-01-05-2026-01-11.csv", "utm-ltv-2026-01-05-2026-01-11.csv"]);
    // base64 of the UTF-8 bytes, so Cyrillic survives: decode and compare with what was attached.
    expect(Buffer.from(atts[0].content, "base64").toString("utf8")).toBe("key,sessions\r\ngoogle,3\r\n");
    expect(atts[0].content).toBe(Buffer.from("key,sessions\r\ngoogle,3\r\n").toString("base64"));
    expect(Buffer.from(atts[1].content, "base64").toString("utf8")).toBe("utm_source,ltv\r\nгугл,1.5\r\n");
  });

  it("turns a Resend error answer into a thrown DeliveryError (the send is then logged as failed)", async () => {
    failNext = true;
    await expect(deliver(message, { kind: "resend", apiKey: "re_test_123", baseUrl }, "week")).rejects.toThrow(
      "Resend: validation_error: Invalid `from` field.",
    );
  });
});
