import { z } from "zod";
import { isHttpUrl, NONE, UTM_FIELDS, type UtmField, type UtmValues } from "./build";

/**
 * The team's naming rules for UTM links (issue 12), kept in app_settings under `utm_rules`:
 * every value lower case, and (when the lists are not empty) only the allowed sources and
 * mediums. Pure: the builder page checks as you type, the API checks again before saving.
 */

export type UtmRules = { lowercase: boolean; allowed_sources: string[]; allowed_mediums: string[] };
export const DEFAULT_UTM_RULES: UtmRules = { lowercase: true, allowed_sources: [], allowed_mediums: [] };

const listValue = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").toLowerCase();
export const utmRulesSchema = z.object({
  lowercase: z.boolean({ error: "must be true or false" }),
  allowed_sources: z.array(listValue).max(200, "at most 200 values").default([]),
  allowed_mediums: z.array(listValue).max(200, "at most 200 values").default([]),
});

/** A comma/newline separated list (the settings form's text areas) → unique, trimmed, lower-case values. */
export function parseList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const v = part.trim().toLowerCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export type LinkInput = { name?: string | null; base_url: string } & Partial<UtmValues>;
export type NormalizedLink = { name: string | null; base_url: string } & UtmValues;
export type LinkIssue = { path: string; message: string };

const MAX = 500;

/**
 * Trims the values, sets an unset content/term to `(none)`, and checks the link against the
 * rules. Source and medium must be lower case whatever the rules say: ingestion lower-cases
 * them (SPEC 3.1), so an upper-case value would never match a session.
 */
export function checkLink(input: LinkInput, rules: UtmRules): { link: NormalizedLink; issues: LinkIssue[] } {
  const issues: LinkIssue[] = [];
  const base = (input.base_url ?? "").trim();
  if (!base) issues.push({ path: "base_url", message: "must not be empty" });
  else if (base.length > 2000) issues.push({ path: "base_url", message: "must be at most 2000 characters" });
  else if (!isHttpUrl(base)) issues.push({ path: "base_url", message: "must be an http(s) URL such as https://shop.example/page" });
  const values = {} as UtmValues;
  for (const f of UTM_FIELDS) {
    const v = (input[f] ?? "").trim();
    const required = f === "utm_source" || f === "utm_medium" || f === "utm_campaign";
    values[f] = v === "" ? NONE : v;
    if (v === "" || v === NONE) {
      if (required) issues.push({ path: f, message: "must not be empty" });
      continue;
    }
    if (v.length > MAX) issues.push({ path: f, message: `must be at most ${MAX} characters` });
    const mustLower = rules.lowercase || f === "utm_source" || f === "utm_medium";
    if (mustLower && v !== v.toLowerCase()) issues.push({ path: f, message: `must be lower case (${v.toLowerCase()})` });
  }
  const allowed: [UtmField, string[]][] = [
    ["utm_source", rules.allowed_sources],
    ["utm_medium", rules.allowed_mediums],
  ];
  for (const [f, list] of allowed) {
    const v = values[f];
    if (list.length && v !== NONE && !issues.some((i) => i.path === f) && !list.includes(v)) {
      issues.push({ path: f, message: `must be one of ${list.join(", ")}` });
    }
  }
  const name = (input.name ?? "").trim();
  if (name.length > 200) issues.push({ path: "name", message: "must be at most 200 characters" });
  return { link: { name: name || null, base_url: base, ...values }, issues };
}
