import type { ComponentProps, ReactNode } from "react";
import { cx } from "./cx";

/** White panel with a border. Give it `title`/`description`/`actions` for a header row, or just children. */
export function Card({
  title,
  description,
  actions,
  className,
  children,
  padded = true,
  ...rest
}: Omit<ComponentProps<"section">, "title"> & { title?: ReactNode; description?: ReactNode; actions?: ReactNode; padded?: boolean }) {
  return (
    <section className={cx("min-w-0 rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...rest}>
      {(title || actions) && (
        // Below sm the actions wrap under the title, so a row of buttons never pushes a phone's page sideways.
        <header className="flex items-start justify-between gap-4 border-b border-slate-100 px-5 py-4 max-sm:flex-wrap">
          <div className="min-w-0">
            {title && <h2 className="truncate text-base font-semibold text-slate-900" title={typeof title === "string" ? title : undefined}>{title}</h2>}
            {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
          </div>
          {actions && <div className="flex min-w-0 flex-wrap items-center gap-2 max-sm:basis-full sm:shrink-0">{actions}</div>}
        </header>
      )}
      <div className={padded ? "p-5" : undefined}>{children}</div>
    </section>
  );
}

export type BadgeTone = "gray" | "green" | "red" | "amber" | "blue";

const tones: Record<BadgeTone, string> = {
  gray: "bg-slate-100 text-slate-700 ring-slate-200",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  blue: "bg-brand-50 text-brand-700 ring-brand-100",
};

/** Small status pill. */
export function Badge({ tone = "gray", className, ...rest }: ComponentProps<"span"> & { tone?: BadgeTone }) {
  return (
    <span
      className={cx("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", tones[tone], className)}
      {...rest}
    />
  );
}

/** Page title row: title, optional description, actions on the right. */
export function PageHeader({ title, description, actions, className }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <div className={cx("mb-6 flex flex-wrap items-end justify-between gap-4", className)}>
      <div className="min-w-0 flex-1">
        <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-500">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
    </div>
  );
}

/** Centered placeholder for empty lists: icon, title, text and an action. */
export function EmptyState({ icon, title, text, action, className }: { icon?: ReactNode; title: ReactNode; text?: ReactNode; action?: ReactNode; className?: string }) {
  return (
    <div className={cx("flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-14 text-center", className)}>
      {icon && (
        <div aria-hidden className="mb-4 flex size-12 items-center justify-center rounded-full bg-brand-50 text-brand-600 [&_svg]:size-6">
          {icon}
        </div>
      )}
      <h3 className="text-base font-semibold text-slate-900">{title}</h3>
      {text && <p className="mt-1 max-w-md text-sm text-slate-500">{text}</p>}
      {action && <div className="mt-6">{action}</div>}
    </div>
  );
}

/** A labelled number (dashboards). */
export function Stat({ label, value, hint, className }: { label: ReactNode; value: ReactNode; hint?: ReactNode; className?: string }) {
  return (
    <div className={cx("rounded-lg border border-slate-200 bg-white px-5 py-4 shadow-sm", className)}>
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 truncate text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
      {hint && <dd className="mt-1 text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}
