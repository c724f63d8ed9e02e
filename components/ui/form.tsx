import { cloneElement, isValidElement, useId, type ComponentProps, type ReactElement, type ReactNode } from "react";
import { cx } from "./cx";

const control =
  "block w-full rounded-md border bg-white px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 " +
  "focus:outline-2 focus:outline-offset-0 focus:outline-brand-500 disabled:bg-slate-100 disabled:text-slate-500";
const borderFor = (invalid?: boolean) => (invalid ? "border-red-400 focus:outline-red-500" : "border-slate-300");

type InvalidProp = { invalid?: boolean };

/** Text input. `invalid` turns the border red and sets aria-invalid. */
export function Input({ className, invalid, ...rest }: ComponentProps<"input"> & InvalidProp) {
  return <input aria-invalid={invalid || undefined} className={cx(control, "h-9", borderFor(invalid), className)} {...rest} />;
}

/** Multi-line text input. */
export function Textarea({ className, invalid, rows = 4, ...rest }: ComponentProps<"textarea"> & InvalidProp) {
  return (
    <textarea rows={rows} aria-invalid={invalid || undefined} className={cx(control, "py-2", borderFor(invalid), className)} {...rest} />
  );
}

/** Native select; pass <option> children. */
export function Select({ className, invalid, children, ...rest }: ComponentProps<"select"> & InvalidProp) {
  return (
    <select aria-invalid={invalid || undefined} className={cx(control, "h-9 pr-8", borderFor(invalid), className)} {...rest}>
      {children}
    </select>
  );
}

/** Checkbox with its label on the right. */
export function Checkbox({ label, description, className, id, ...rest }: Omit<ComponentProps<"input">, "type"> & { label: ReactNode; description?: ReactNode }) {
  const auto = useId();
  const inputId = id ?? auto;
  return (
    <div className={cx("flex items-start gap-2.5", className)}>
      <input
        id={inputId}
        type="checkbox"
        className="mt-0.5 size-4 rounded border-slate-300 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
        aria-describedby={description ? `${inputId}-desc` : undefined}
        {...rest}
      />
      <div className="text-sm">
        <label htmlFor={inputId} className="font-medium text-slate-800">
          {label}
        </label>
        {description && (
          <p id={`${inputId}-desc`} className="text-slate-500">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}

/** Form label. */
export function Label({ className, ...rest }: ComponentProps<"label">) {
  return <label className={cx("block text-sm font-medium text-slate-800", className)} {...rest} />;
}

export type FieldProps = {
  label: ReactNode;
  /** One control element (Input, Textarea, Select…); Field gives it id, aria-invalid and aria-describedby. */
  children: ReactElement<Record<string, unknown>>;
  /** Inline error under the control; also marks the control invalid. */
  error?: string | null;
  hint?: ReactNode;
  /** Explicit id for the control (default: generated). */
  id?: string;
  className?: string;
};

/** Label + control + hint + inline error, wired together for screen readers. */
export function Field({ label, children, error, hint, id, className }: FieldProps) {
  const auto = useId();
  const controlId = id ?? (children.props.id as string | undefined) ?? auto;
  const hintId = hint && !error ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const child = isValidElement(children)
    ? cloneElement(children, { id: controlId, "aria-describedby": describedBy, invalid: Boolean(error) || undefined })
    : children;
  return (
    <div className={cx("space-y-1.5", className)}>
      <Label htmlFor={controlId}>{label}</Label>
      {child}
      {hintId && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
