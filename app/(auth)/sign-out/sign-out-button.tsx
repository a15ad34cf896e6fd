"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Signs out through next-auth (CSRF-checked POST) and lands on the sign-in page. */
export function SignOutButton({ label }: { label: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      data-testid="sign-out-confirm"
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/sign-in" });
      }}
      className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60"
    >
      {label}
    </button>
  );
}
