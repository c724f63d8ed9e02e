import Link from "next/link";
import { cx } from "@/components/ui";

/** The Keyport mark and word; links home. */
export function Logo({ href = "/", className, inverted = false }: { href?: string; className?: string; inverted?: boolean }) {
  return (
    <Link href={href} className={cx("inline-flex items-center gap-2 rounded-md focus-visible:outline-2 focus-visible:outline-brand-500", className)}>
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <circle cx="12" cy="16" r="5" fill="none" stroke="white" strokeWidth="2.5" />
        <path d="M17 16h9m-3 0v4m-3-4v3" fill="none" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <span className={cx("text-lg font-semibold tracking-tight", inverted ? "text-white" : "text-slate-900")}>Keyport</span>
    </Link>
  );
}
