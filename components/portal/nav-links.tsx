"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx, isAtOrBelow, Menu, MenuItem } from "@/components/ui";

export type NavLink = { href: string; label: string; match?: string[] };

const isActive = (pathname: string, link: NavLink) => [link.href, ...(link.match ?? [])].some((p) => isAtOrBelow(pathname, p));

/** Top-bar links; a link is active on its own path and the extra prefixes in `match`. Below md they fold into a "Menu" button. */
export function NavLinks({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  return (
    <>
      <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
        {links.map((link) => {
          const active = isActive(pathname, link);
          return (
            <Link
              key={link.href}
              href={link.href}
              aria-current={active ? "page" : undefined}
              className={cx(
                "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-500",
                active ? "bg-slate-100 text-slate-900" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900",
              )}
            >
              {link.label}
            </Link>
          );
        })}
      </nav>
      <div className="md:hidden">
        <Menu
          align="start"
          label="Main"
          trigger={
            <button
              type="button"
              aria-label="Main menu"
              className="flex size-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500"
            >
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden>
                <path fillRule="evenodd" d="M2 4.75A.75.75 0 0 1 2.75 4h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 4.75ZM2 10a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75A.75.75 0 0 1 2 10Zm0 5.25a.75.75 0 0 1 .75-.75h14.5a.75.75 0 0 1 0 1.5H2.75a.75.75 0 0 1-.75-.75Z" clipRule="evenodd" />
              </svg>
            </button>
          }
        >
          {links.map((link) => (
            <MenuItem key={link.href} asChild>
              <Link href={link.href} aria-current={isActive(pathname, link) ? "page" : undefined} className="font-medium">
                {link.label}
              </Link>
            </MenuItem>
          ))}
        </Menu>
      </div>
    </>
  );
}
