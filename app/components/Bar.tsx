/** A thin horizontal bar for a share (0–100) inside table cells and lists. */
export function Bar({ value, color = "bg-indigo-500", label }: { value: number; color?: string; label?: string }) {
  const w = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  return (
    <div className="h-2 w-full overflow-hidden rounded-full bg-slate-100" role="presentation" title={label}>
      <div className={`h-full rounded-full ${color}`} style={{ width: `${w}%` }} />
    </div>
  );
}
