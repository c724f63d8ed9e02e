"use client";

import { useEffect, useRef } from "react";
import { signOutAction } from "@/app/(auth)/actions";

/** Avatar button with the account's email and a Sign out action. */
export function UserMenu({ email, name, role }: { email: string; name: string | null; role: "developer" | "admin" }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener("click", close);
    return () => document.removeEventListener("click", close);
  }, []);
  const initial = (name || email).trim().charAt(0).toUpperCase();
  return (
    <details ref={ref} className="relative">
      <summary
        aria-label="Account menu"
        className="flex cursor-pointer list-none items-center gap-2 rounded-full p-0.5 pr-2 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500 [&::-webkit-details-marker]:hidden"
      >
        <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white">
          {initial}
        </span>
        <span className="hidden max-w-64 truncate text-sm text-slate-700 sm:inline">{email}</span>
      </summary>
      <div className="absolute right-0 z-40 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-1 shadow-lg">
        <div className="border-b border-slate-100 px-3 py-2">
          {name && <p className="truncate text-sm font-medium text-slate-900">{name}</p>}
          <p className="truncate text-sm text-slate-600" title={email}>
            {email}
          </p>
          {role === "admin" && <p className="mt-1 text-xs font-medium text-amber-700">Administrator</p>}
        </div>
        <form action={signOutAction}>
          <button type="submit" className="mt-1 w-full rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
