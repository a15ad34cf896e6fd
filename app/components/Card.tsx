import type { ReactNode } from "react";

/** A dashboard block: a titled card (a labelled region) with optional actions on the right. */
export function BlockCard({
  id,
  title,
  actions,
  children,
  className = "",
}: {
  id: string;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      id={`block-${id}`}
      data-block={id}
      aria-labelledby={`block-${id}-title`}
      className={`min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5 ${className}`}
    >
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={`block-${id}-title`} className="text-base font-semibold tracking-tight text-slate-800">
          {title}
        </h2>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
