"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { isAtOrBelow } from "./active-path";
import { cx } from "./cx";

export type TabNavItem = {
  href: string;
  label: string;
  /** Active only on an exact path match (default: also active on sub-paths). */
  exact?: boolean;
  /** Also active when the pathname matches this regular expression (a string, so server layouts can pass it). */
  match?: string;
};

function isActive(item: TabNavItem, pathname: string): boolean {
  if (item.match && new RegExp(item.match).test(pathname)) return true;
  return item.exact ? pathname === item.href : isAtOrBelow(pathname, item.href);
}

/** Underlined tab links; the active tab comes from the current pathname and gets aria-current="page". */
export function TabNav({ items, className, label = "Sections" }: { items: TabNavItem[]; className?: string; label?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className={cx("border-b border-slate-200", className)}>
      <ul className="-mb-px flex gap-6 overflow-x-auto">
        {items.map((item) => {
          const active = isActive(item, pathname);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "inline-block border-b-2 px-1 pb-3 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-brand-500",
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-700",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
