import { cx } from "./cx";

/** An animated spinner. `label` is announced to screen readers (pass "" when the parent already says it). */
export function Spinner({ size = "md", label = "Loading", className }: { size?: "sm" | "md" | "lg"; label?: string; className?: string }) {
  const dims = { sm: "size-3.5 border-2", md: "size-5 border-2", lg: "size-8 border-[3px]" }[size];
  return (
    <span
      role={label ? "status" : undefined}
      aria-label={label || undefined}
      aria-hidden={label ? undefined : true}
      className={cx("inline-block animate-spin rounded-full border-current border-r-transparent opacity-80", dims, className)}
    />
  );
}
