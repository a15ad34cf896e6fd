import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getLocale } from "@/lib/http/locale";
import "./globals.css";

export const metadata: Metadata = {
  title: "UTM Dispatcher",
  description: "Marketing attribution and e-commerce analytics",
  robots: { index: false, follow: false },
};

/** `<html lang>` is the UI language (cookie, then Accept-Language, then Ukrainian). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
