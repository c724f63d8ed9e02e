import { Toaster } from "@/components/ui";
import { Logo } from "@/components/portal/logo";
import { NavLinks, type NavLink } from "@/components/portal/nav-links";
import { UserMenu } from "@/components/portal/user-menu";
import { requireUser } from "@/lib/auth/current-user";

// Every portal page reads the signed-in user; nothing here can be prerendered.
export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const links: NavLink[] = [
    { href: "/dashboard", label: "Projects", match: ["/projects"] },
    { href: "/docs", label: "Docs" },
    { href: "/tokens", label: "Tokens" },
    ...(user.role === "admin" ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <Toaster>
      <div className="flex min-h-screen flex-col">
        <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
          <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
            <Logo href="/dashboard" />
            <NavLinks links={links} />
            <div className="ml-auto">
              <UserMenu email={user.email} name={user.name} role={user.role} />
            </div>
          </div>
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">{children}</main>
      </div>
    </Toaster>
  );
}
