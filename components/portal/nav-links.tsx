"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx, isAtOrBelow } from "@/components/ui";

export type NavLink = { href: string; label: string; match?: string[] };

/** Top-bar links; a link is active on its own path and the extra prefixes in `match`. */
export function NavLinks({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {links.map((link) => {
        const prefixes = [link.href, ...(link.match ?? [])];
        const active = prefixes.some((p) => isAtOrBelow(pathname, p));
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
  );
}
