import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";

/** A shared view runs the dashboard's client controls, which keep their state in the URL through nuqs. */
export default function ShareLayout({ children }: { children: ReactNode }) {
  return <NuqsAdapter>{children}</NuqsAdapter>;
}
