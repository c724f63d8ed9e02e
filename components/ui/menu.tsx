"use client";
// Menus are Radix DropdownMenu (arrow keys, typeahead, Escape, focus return, collision-aware placement) with Keyport's look.
import type { ComponentProps, ReactNode } from "react";
import { DropdownMenu as M } from "radix-ui";
import { cx } from "./cx";

export type MenuProps = {
  /** The element that opens the menu (one focusable element, e.g. a <button>). */
  trigger: ReactNode;
  children: ReactNode;
  align?: "start" | "center" | "end";
  /** Accessible name of the menu itself (default: named by its trigger). */
  label?: string;
  className?: string;
};

/** A dropdown menu: `trigger` opens it; fill it with MenuItem, MenuLabel and MenuSeparator. */
export function Menu({ trigger, children, align = "end", label, className }: MenuProps) {
  return (
    <M.Root modal={false}>
      <M.Trigger asChild>{trigger}</M.Trigger>
      <M.Portal>
        <M.Content
          align={align}
          sideOffset={6}
          collisionPadding={8}
          aria-label={label}
          className={cx(
            "z-50 max-w-[calc(100vw-1rem)] min-w-48 rounded-lg border border-slate-200 bg-white p-1 text-sm text-slate-800 shadow-lg",
            className,
          )}
        >
          {children}
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}

const itemClass =
  "flex w-full cursor-default items-center gap-2 rounded-md px-3 py-2 text-left outline-none select-none " +
  "data-[disabled]:text-slate-400 data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900";

/** A menu entry; `onSelect` runs on click, Enter or Space. `danger` makes it red. */
export function MenuItem({ className, danger, ...rest }: ComponentProps<typeof M.Item> & { danger?: boolean }) {
  return <M.Item className={cx(itemClass, danger && "text-red-700 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-800", className)} {...rest} />;
}

/** Non-interactive heading inside a menu. */
export function MenuLabel({ className, ...rest }: ComponentProps<typeof M.Label>) {
  return <M.Label className={cx("px-3 py-2", className)} {...rest} />;
}

export function MenuSeparator({ className, ...rest }: ComponentProps<typeof M.Separator>) {
  return <M.Separator className={cx("my-1 h-px bg-slate-100", className)} {...rest} />;
}

/** A group of mutually exclusive menu choices (value + onValueChange). */
export function MenuRadioGroup(props: ComponentProps<typeof M.RadioGroup>) {
  return <M.RadioGroup {...props} />;
}

export function MenuRadioItem({ className, children, ...rest }: ComponentProps<typeof M.RadioItem>) {
  return (
    <M.RadioItem className={cx(itemClass, "pl-8 relative", className)} {...rest}>
      <M.ItemIndicator className="absolute left-3 inline-flex">
        <span aria-hidden className="size-2 rounded-full bg-brand-600" />
      </M.ItemIndicator>
      {children}
    </M.RadioItem>
  );
}
