"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
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

/**
 * Underlined tab links; the active tab comes from the current pathname and gets aria-current="page". When the tabs
 * are wider than the screen they scroll sideways: the active one is scrolled into view, and a fade with an arrow on
 * the side(s) with more tabs shows that there is more to see.
 */
export function TabNav({ items, className, label = "Sections" }: { items: TabNavItem[]; className?: string; label?: string }) {
  const pathname = usePathname();
  const list = useRef<HTMLUListElement>(null);
  const [more, setMore] = useState({ start: false, end: false });

  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const measure = () => setMore({ start: el.scrollLeft > 2, end: el.scrollLeft + el.clientWidth < el.scrollWidth - 2 });
    el.querySelector<HTMLElement>('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
    measure();
    el.addEventListener("scroll", measure, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => {
      el.removeEventListener("scroll", measure);
      observer.disconnect();
    };
  }, [pathname]);

  return (
    <nav aria-label={label} className={cx("relative border-b border-slate-200", className)} data-scrolls={more.start || more.end ? "" : undefined}>
      <ul ref={list} className="-mb-px flex gap-6 overflow-x-auto [scrollbar-width:none]">
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
      {more.start && <ScrollHint side="start" onClick={() => list.current?.scrollBy({ left: -160, behavior: "smooth" })} />}
      {more.end && <ScrollHint side="end" onClick={() => list.current?.scrollBy({ left: 160, behavior: "smooth" })} />}
    </nav>
  );
}

/** A fade over the cut-off edge with an arrow; mouse users can click it, keyboard users tab along the links anyway. */
function ScrollHint({ side, onClick }: { side: "start" | "end"; onClick: () => void }) {
  return (
    <div
      data-testid={`tabs-more-${side}`}
      aria-hidden
      onClick={onClick}
      className={cx(
        "absolute top-0 bottom-px flex w-10 cursor-pointer items-start pt-0.5 text-slate-500",
        side === "end" ? "right-0 justify-end bg-gradient-to-l from-slate-50 via-slate-50/90 to-transparent" : "left-0 justify-start bg-gradient-to-r from-slate-50 via-slate-50/90 to-transparent",
      )}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className={cx("size-4", side === "start" && "rotate-180")}>
        <path d="M7.3 14.7a1 1 0 0 1 0-1.4L10.6 10 7.3 6.7a1 1 0 0 1 1.4-1.4l4 4a1 1 0 0 1 0 1.4l-4 4a1 1 0 0 1-1.4 0Z" />
      </svg>
    </div>
  );
}
