"use client";

import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useId, useMemo, useState, useTransition, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

/**
 * Pending state of the dashboard (issue 12): every control navigates through `navigate()`, a
 * router.push inside one React transition. While the transition runs (the server renders the new
 * view) the old blocks stay on screen but are dimmed and marked `data-pending` + `aria-busy`, so a
 * stale number is never shown as current; the control that started it shows a spinner. React
 * keeps already-shown <Suspense> content during a transition, so the new numbers replace the old
 * ones all at once when they arrive.
 *
 * `scope` says which blocks will change: "all" (range, filter, compare) or one block id (a tab,
 * a sort, a selector), found from the clicked element's closest `[data-block]` by default.
 */

type Nav = {
  pending: boolean;
  scope: string | null;
  /** Which control started the pending change (its own spinner). */
  source: string | null;
  navigate: (href: string, scope?: string, source?: string) => void;
};

const PendingContext = createContext<Nav | null>(null);

export function PendingProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [started, setStarted] = useState<{ scope: string; source: string | null }>({ scope: "all", source: null });
  const navigate = useCallback(
    (href: string, scope = "all", source?: string) => {
      setStarted({ scope, source: source ?? null });
      startTransition(() => router.push(href, { scroll: false }));
    },
    [router],
  );
  const value = useMemo(
    () => ({ pending, scope: pending ? started.scope : null, source: pending ? started.source : null, navigate }),
    [pending, started, navigate],
  );
  return <PendingContext.Provider value={value}>{children}</PendingContext.Provider>;
}

/** The dashboard's navigation; outside a provider each caller gets its own transition. */
export function useNav(): Nav {
  const ctx = useContext(PendingContext);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [source, setSource] = useState<string | null>(null);
  const own = useMemo<Nav>(
    () => ({
      pending,
      scope: pending ? "all" : null,
      source: pending ? source : null,
      navigate: (href, _scope, src) => {
        setSource(src ?? null);
        startTransition(() => router.push(href, { scroll: false }));
      },
    }),
    [pending, router, source],
  );
  return ctx ?? own;
}

/** The block id a click belongs to (its closest `[data-block]`), or "all". */
export function scopeOf(el: Element | null): string {
  return el?.closest("[data-block]")?.getAttribute("data-block") ?? "all";
}

/** A block's body: dimmed and `data-pending` while a change that affects it is loading. */
export function PendingArea({ scope, children, className = "" }: { scope: string; children: ReactNode; className?: string }) {
  const nav = useContext(PendingContext);
  const on = !!nav?.pending && (nav.scope === "all" || nav.scope === scope);
  return (
    <div
      data-pending={on ? "true" : undefined}
      aria-busy={on || undefined}
      className={`relative transition-opacity duration-100 ${on ? "pointer-events-none opacity-40" : ""} ${className}`}
    >
      {on ? (
        <span className="absolute right-2 top-2 z-20 h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" aria-hidden="true" data-pending-spinner />
      ) : null}
      {children}
    </div>
  );
}

/**
 * A plain link (works without JavaScript, opens in a new tab with a modifier) that navigates in
 * the dashboard's transition; `scope` "all" for changes of the whole view (a row filter).
 */
export function NavLink({ href, scope, children, ...rest }: { href: string; scope?: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  const nav = useNav();
  const id = useId();
  function onClick(e: MouseEvent<HTMLAnchorElement>) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    nav.navigate(href, scope ?? scopeOf(e.currentTarget), id);
  }
  return (
    <a href={href} onClick={onClick} data-nav-pending={nav.source === id ? "true" : undefined} {...rest}>
      {children}
    </a>
  );
}
