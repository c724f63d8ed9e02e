"use client";

import Link from "next/link";
import { startTransition } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { Menu, MenuItem, MenuLabel, MenuSeparator } from "@/components/ui";
import { ThemeMenuItems } from "./theme-toggle";

/** Avatar button with the account's email, the colour theme and Sign out (a Radix menu: arrows, Escape, focus return). */
export function UserMenu({ email, name, role }: { email: string; name: string | null; role: "developer" | "admin" }) {
  const initial = (name || email).trim().charAt(0).toUpperCase();
  return (
    <Menu
      label="Account"
      className="w-64"
      trigger={
        <button
          type="button"
          aria-label="Account menu"
          className="flex items-center gap-2 rounded-full p-0.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500 sm:pr-2"
        >
          <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white">
            {initial}
          </span>
          <span className="hidden max-w-56 truncate text-sm text-slate-700 lg:inline">{email}</span>
        </button>
      }
    >
      <MenuLabel>
        {name && <span className="block truncate text-sm font-medium text-slate-900">{name}</span>}
        <span className="block truncate text-sm text-slate-600" title={email}>
          {email}
        </span>
        {role === "admin" && <span className="mt-1 block text-xs font-medium text-amber-800">Site admin</span>}
      </MenuLabel>
      <MenuSeparator />
      <MenuItem asChild>
        <Link href="/dashboard">Portal</Link>
      </MenuItem>
      <MenuItem asChild>
        <Link href="/account">Account &amp; security</Link>
      </MenuItem>
      <MenuItem asChild>
        <Link href="/account/sessions">Sessions</Link>
      </MenuItem>
      {role === "admin" && (
        <MenuItem asChild>
          <Link href="/admin">Admin console</Link>
        </MenuItem>
      )}
      <MenuSeparator />
      <ThemeMenuItems />
      <MenuSeparator />
      {/* Called on select: a <form> inside the menu unmounts with it before its submit would be sent. */}
      <MenuItem onSelect={() => startTransition(() => signOutAction())}>Sign out</MenuItem>
    </Menu>
  );
}
