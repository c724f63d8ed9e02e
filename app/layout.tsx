import type { Metadata } from "next";
import { THEME_BOOT_SCRIPT } from "@/components/portal/theme-script";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Keyport", template: "%s · Keyport" },
  description: "Self-hostable developer portal: scoped API keys, rate limits, quotas and usage.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // suppressHydrationWarning: the theme script sets class/style on <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
