"use client";
// In-page tabs are Radix Tabs (arrow keys between tabs, roving focus, tab/tabpanel roles) with Keyport's look.
// Route tabs (one URL per tab) stay links: see TabNav.
import type { ComponentProps } from "react";
import { Tabs as T } from "radix-ui";
import { cx } from "./cx";

export function Tabs({ className, ...rest }: ComponentProps<typeof T.Root>) {
  return <T.Root className={cx("min-w-0", className)} {...rest} />;
}

export function TabsList({ className, ...rest }: ComponentProps<typeof T.List>) {
  return <T.List className={cx("flex gap-1 overflow-x-auto border-b border-slate-200", className)} {...rest} />;
}

export function TabsTrigger({ className, ...rest }: ComponentProps<typeof T.Trigger>) {
  return (
    <T.Trigger
      className={cx(
        "-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-slate-600 hover:text-slate-900",
        "focus-visible:outline-2 focus-visible:outline-brand-500 data-[state=active]:border-brand-600 data-[state=active]:text-brand-700",
        className,
      )}
      {...rest}
    />
  );
}

export function TabsContent({ className, ...rest }: ComponentProps<typeof T.Content>) {
  return <T.Content className={cx("pt-3 focus-visible:outline-2 focus-visible:outline-brand-500", className)} {...rest} />;
}
