// The admin console: admins only (everyone else is redirected by requireAdmin), with its own section nav.
import type { Metadata } from "next";
import Link from "next/link";
import { TabNav, Toaster, SkipLink } from "@/components/ui";
import { Logo } from "@/components/portal/logo";
import { UserMenu } from "@/components/portal/user-menu";
import { requireAdmin } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Keyport" } };

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireAdmin();
  return (
    <Toaster>
      <SkipLink />
      <div className="flex min-h-screen flex-col">
        <header className="sticky top-0 z-30 border-t-4 border-b border-t-amber-400 border-b-slate-200 bg-white/95 backdrop-blur">
          <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-3 sm:gap-4 sm:px-6">
            <Logo href="/admin" className="shrink-0" />
            <span className="shrink-0 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold tracking-wide text-amber-900 uppercase ring-1 ring-amber-300 ring-inset">
              Admin<span className="hidden sm:inline"> console</span>
            </span>
            <Link href="/dashboard" className="ml-2 hidden text-sm text-slate-600 hover:text-slate-800 sm:inline">
              ← Back to portal
            </Link>
            <div className="ml-auto flex min-w-0 items-center gap-2">
              <UserMenu email={user.email} name={user.name} role={user.role} />
            </div>
          </div>
        </header>
        <div className="border-b border-slate-200 bg-white">
          <div className="mx-auto max-w-7xl px-3 pt-3 sm:px-6">
            <TabNav
              className="border-b-0"
              label="Admin sections"
              items={[
                { href: "/admin", label: "Overview", exact: true },
                { href: "/admin/users", label: "Users" },
                { href: "/admin/keys", label: "Keys" },
                { href: "/admin/projects", label: "Projects" },
                { href: "/admin/teams", label: "Teams" },
                { href: "/admin/tiers", label: "Tiers" },
                { href: "/admin/billing", label: "Billing" },
                { href: "/admin/apis", label: "APIs" },
                { href: "/admin/audit", label: "Audit log" },
              ]}
            />
          </div>
        </div>
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl min-w-0 flex-1 px-3 py-6 focus:outline-none sm:px-6 sm:py-8">{children}</main>
      </div>
    </Toaster>
  );
}
