"use client";

import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { createContext, useCallback, useContext, useId, useMemo, useState, useTransition, type AnchorHTMLAttributes, type MouseEvent, type ReactNode, type TransitionStartFunction } from "react";
import { dashboardParsers, withRules, type DashboardPatch, type DashboardValues } from "../search-params";

/**
 * Pending state of the dashboard (issue 12): every control changes the URL inside one React
 * transition: the client controls through nuqs (`useUrlState`: `shallow: false`, so the server
 * renders the new view, with this transition's `startTransition`), the server-built links through
 * `navigate()` (router.push). While the transition runs the old blocks stay on screen but are
 * dimmed and marked `data-pending` + `aria-busy`, so a stale number is never shown as current; the
 * control that started it shows a spinner. React keeps already-shown <Suspense> content during a
 * transition, so the new numbers replace the old ones all at once when they arrive.
 *
 * `scope` says which blocks will change: "all" (range, filter, compare) or one block id (a tab,
 * a sort, a selector), found from the clicked element's closest `[data-block]` by default.
 */

type Nav = {
  pending: boolean;
  scope: string | null;
  /** Which control started the pending change (its own spinner). */
  source: string | null;
  /** Records which blocks (`scope`) and which control (`source`) the next transition is for. */
  mark: (scope?: string, source?: string) => void;
  startTransition: TransitionStartFunction;
  navigate: (href: string, scope?: string, source?: string) => void;
};

const PendingContext = createContext<Nav | null>(null);

function useOwnNav(ownScope: (scope: string) => string): Nav {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [started, setStarted] = useState<{ scope: string; source: string | null }>({ scope: "all", source: null });
  const mark = useCallback((scope = "all", source?: string) => setStarted({ scope: ownScope(scope), source: source ?? null }), [ownScope]);
  const navigate = useCallback(
    (href: string, scope?: string, source?: string) => {
      mark(scope, source);
      startTransition(() => router.push(href, { scroll: false }));
    },
    [router, mark],
  );
  return useMemo(
    () => ({ pending, scope: pending ? started.scope : null, source: pending ? started.source : null, mark, startTransition, navigate }),
    [pending, started, mark, navigate],
  );
}

const sameScope = (scope: string) => scope;
const wholeView = () => "all";

export function PendingProvider({ children }: { children: ReactNode }) {
  const value = useOwnNav(sameScope);
  return <PendingContext.Provider value={value}>{children}</PendingContext.Provider>;
}

/** The dashboard's navigation; outside a provider each caller gets its own transition. */
export function useNav(): Nav {
  const ctx = useContext(PendingContext);
  const own = useOwnNav(wholeView);
  return ctx ?? own;
}

/**
 * The dashboard's URL state for a client control: the typed values of every parameter
 * (search-params.ts parsers) and `update(patch, scope, source)`, which applies the URL's rules
 * (a new range or filter restarts paging, a preset replaces custom dates), pushes a history entry
 * and lets the server render the new view inside the dashboard's transition.
 */
export function useUrlState(): [DashboardValues, (patch: DashboardPatch, scope?: string, source?: string) => void] {
  const nav = useNav();
  const [values, setValues] = useQueryStates(dashboardParsers, { history: "push", shallow: false, scroll: false, startTransition: nav.startTransition });
  const { mark, startTransition } = nav;
  const update = useCallback(
    (patch: DashboardPatch, scope?: string, source?: string) => {
      mark(scope, source);
      // The transition starts in the click itself, so the pending state is drawn in the click's
      // own render; nuqs pushes the URL on a later tick, and while this action waits for that
      // push React puts the navigation's transition in the same lane, so pending lasts until the
      // new view has arrived.
      startTransition(async () => {
        await setValues(withRules(patch));
      });
    },
    [mark, setValues, startTransition],
  );
  return [values, update];
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
