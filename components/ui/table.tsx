import type { ComponentProps } from "react";
import { cx } from "./cx";

/**
 * Table in a bordered frame that scrolls sideways on its own (never the page): below `minWidth` (default 40rem) the
 * columns keep their width and the frame scrolls, so a phone shows whole values instead of "1…". The frame is
 * focusable so keyboard users can scroll it too. `relative`: visually hidden (absolute) text inside a cell is clipped
 * with the rest, instead of stretching the page.
 */
export function Table({ className, children, minWidth, ...rest }: ComponentProps<"table"> & { minWidth?: string }) {
  // A min-w-* class passed in wins over the default.
  const floor = minWidth || className?.includes("min-w-") ? undefined : "min-w-[40rem]";
  return (
    <div tabIndex={0} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm focus-visible:outline-2 focus-visible:outline-brand-500">
      <table style={minWidth ? { minWidth } : undefined} className={cx("w-full table-fixed border-collapse text-left text-sm", floor, className)} {...rest}>
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...rest }: ComponentProps<"thead">) {
  return <thead className={cx("bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase", className)} {...rest} />;
}

export function TBody({ className, ...rest }: ComponentProps<"tbody">) {
  return <tbody className={cx("divide-y divide-slate-100", className)} {...rest} />;
}

export function TR({ className, ...rest }: ComponentProps<"tr">) {
  return <tr className={cx("hover:bg-slate-50/60", className)} {...rest} />;
}

export function TH({ className, scope = "col", ...rest }: ComponentProps<"th">) {
  return <th scope={scope} className={cx("border-b border-slate-200 px-4 py-2.5 font-medium", className)} {...rest} />;
}

/**
 * Table cell. Long text is truncated with an ellipsis (`truncate`, the default); pass `truncate={false}` to wrap.
 * When truncating a string child, the full text is in the `title` tooltip.
 */
export function TD({ className, truncate = true, title, children, ...rest }: ComponentProps<"td"> & { truncate?: boolean }) {
  return (
    <td
      title={title ?? (truncate && typeof children === "string" ? children : undefined)}
      className={cx("px-4 py-3 align-middle text-slate-700", truncate && "max-w-0 truncate", className)}
      {...rest}
    >
      {children}
    </td>
  );
}
