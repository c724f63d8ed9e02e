import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Keyport", template: "%s · Keyport" },
  description: "Self-hostable developer portal: scoped API keys, rate limits, quotas and usage.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
