// What a member may not do here, said once on the page; every control it disables points at it (aria-describedby)
// and repeats it as a tooltip, so a viewer sees why a button is grey instead of learning it from a refusal.
import { cx } from "./cx";

/** The sentence, or nothing when `reason` is null (the member may act). */
export function DeniedNote({ id, reason, className }: { id: string; reason: string | null; className?: string }) {
  if (!reason) return null;
  return (
    <p id={id} data-testid="denied-note" className={cx("rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900", className)}>
      {reason}
    </p>
  );
}

/** Props for a control the member may not use: disabled, described by the note, with the reason as its tooltip. */
export function deniedProps(id: string, reason: string | null | undefined): { disabled?: true; title?: string; "aria-describedby"?: string } {
  return reason ? { disabled: true, title: reason, "aria-describedby": id } : {};
}
