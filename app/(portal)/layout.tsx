import { SkipLink, Toaster } from "@/components/ui";
import { Logo } from "@/components/portal/logo";
import { NavLinks, type NavLink } from "@/components/portal/nav-links";
import { UserMenu } from "@/components/portal/user-menu";
import { VerifyBanner } from "@/components/account/verify-banner";
import { requireUser } from "@/lib/auth/current-user";
import { TeamSwitcher } from "@/components/teams/team-switcher";
import { getMyTeams } from "@/lib/teams/current-team";

// Every portal page reads the signed-in user; nothing here can be prerendered.
export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const { teams, current } = await getMyTeams();
  const links: NavLink[] = [
    { href: "/dashboard", label: "Projects", match: ["/projects"] },
    { href: "/apis", label: "APIs" },
    { href: "/docs", label: "Docs" },
    { href: "/tokens", label: "Tokens" },
    { href: "/notifications", label: "Notifications" },
    ...(user.role === "admin" ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <Toaster>
      <SkipLink />
      <div className="flex min-h-screen flex-col">
        <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
          {/* Below md the links fold into a menu button, so the bar fits 360 px with room for more controls on the right.
              The logo comes first in the DOM, so the tab order (skip link, logo, nav) matches what is seen. */}
          <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-3 sm:gap-6 sm:px-6">
            <Logo href="/dashboard" className="shrink-0" />
            <NavLinks links={links} />
            <div className="ml-auto flex min-w-0 items-center gap-2">
              <TeamSwitcher teams={teams} current={current} />
              <UserMenu email={user.email} name={user.name} role={user.role} />
            </div>
          </div>
        </header>
        {!user.emailVerified && <VerifyBanner email={user.email} />}
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl min-w-0 flex-1 px-3 py-6 focus:outline-none sm:px-6 sm:py-8">{children}</main>
      </div>
    </Toaster>
  );
}
