import Link from "next/link";
import type { Dict } from "@/lib/i18n";
import type { ParamIssue } from "./search-params";

/** A URL with bad parameters gets a clear message naming them, not a crash. */
export function InvalidView({ issues, t, resetHref }: { issues: ParamIssue[]; t: Dict; resetHref: string }) {
  return (
    <div role="alert" data-testid="invalid-url" className="mx-auto max-w-xl rounded-xl border border-amber-200 bg-amber-50 p-5 text-amber-900">
      <h2 className="text-base font-semibold">{t.invalidUrl}</h2>
      <p className="mt-1 text-sm">{t.invalidUrlHint}</p>
      <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm">
        {issues.map((i) => (
          <li key={`${i.path}:${i.message}`}>
            <code className="rounded bg-amber-100 px-1">{i.path}</code>: {i.message}
          </li>
        ))}
      </ul>
      <Link href={resetHref} className="mt-4 inline-block rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700">
        {t.resetView}
      </Link>
    </div>
  );
}
