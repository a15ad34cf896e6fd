/** Loading, empty and error states shared by every block. */

export function Loading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="flex min-h-24 items-center gap-3 text-sm text-slate-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-500" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ text }: { text: string }) {
  return (
    <div data-state="empty" className="flex min-h-24 items-center justify-center rounded-lg border border-dashed border-slate-200 bg-slate-50 p-4 text-sm text-slate-500">
      {text}
    </div>
  );
}

export function ErrorBox({ text }: { text: string }) {
  return (
    <div role="alert" data-state="error" className="flex min-h-24 items-center rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-700">
      {text}
    </div>
  );
}
