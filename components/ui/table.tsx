import type { ComponentProps, CSSProperties, ReactNode } from "react";
import { cx } from "./cx";

/**
 * Table in a bordered frame that scrolls sideways on its own (never the page): below `minWidth` (default 40rem) the
 * columns keep their width and the frame scrolls, so a phone shows whole values instead of "1…". The frame is
 * focusable so keyboard users can scroll it too. `relative`: visually hidden (absolute) text inside a cell is clipped
 * with the rest, instead of stretching the page.
 */
export function Table({ className, children, minWidth, fold = false, ...rest }: ComponentProps<"table"> & { minWidth?: string; fold?: boolean }) {
  // A min-w-* class passed in wins over the default.
  const floor = minWidth || className?.includes("min-w-") ? undefined : fold ? "sm:min-w-[40rem]" : "min-w-[40rem]";
  // Folding tables keep their minimum width from the sm breakpoint up only: on a phone the secondary columns are
  // hidden (TH/TD `fold`) and their values stacked under the primary cell (FoldedDetails), so nothing scrolls.
  const style = minWidth ? (fold ? ({ "--table-min": minWidth } as CSSProperties) : { minWidth }) : undefined;
  return (
    <div tabIndex={0} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm focus-visible:outline-2 focus-visible:outline-brand-500">
      <table style={style} className={cx("w-full table-fixed border-collapse text-left text-sm", floor, fold && minWidth && "sm:min-w-(--table-min)", className)} {...rest}>
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

/** `fold`: a secondary column, hidden on phones (its value is stacked in the primary cell there). */
export function TH({ className, scope = "col", fold = false, ...rest }: ComponentProps<"th"> & { fold?: boolean }) {
  return <th scope={scope} className={cx("border-b border-slate-200 px-4 py-2.5 font-medium", fold && "max-sm:hidden", className)} {...rest} />;
}

/**
 * Table cell. Long text is truncated with an ellipsis (`truncate`, the default); pass `truncate={false}` to wrap.
 * When truncating a string child, the full text is in the `title` tooltip.
 */
export function TD({ className, truncate = true, fold = false, title, children, ...rest }: ComponentProps<"td"> & { truncate?: boolean; fold?: boolean }) {
  return (
    <td
      title={title ?? (truncate && typeof children === "string" ? children : undefined)}
      className={cx("px-4 py-3 align-middle text-slate-700", truncate && "max-w-0 truncate", fold && "max-sm:hidden", className)}
      {...rest}
    >
      {children}
    </td>
  );
}

/** On phones only: the folded columns of a row as label/value pairs, stacked inside its primary cell. */
export function FoldedDetails({ items, className }: { items: [label: string, value: ReactNode][]; className?: string }) {
  return (
    <dl data-testid="folded-details" className={cx("mt-1.5 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs text-slate-600 sm:hidden", className)}>
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="min-w-0 truncate">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
