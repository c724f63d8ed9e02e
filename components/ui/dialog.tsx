"use client";
// Dialogs are Radix Dialog (focus trap, Escape, portal, aria-modal, scroll lock) with Keyport's look. The props are the
// ones the hand-written <dialog> had, so callers did not change.
import { useId, useRef, useState, type ReactNode } from "react";
import { Dialog as D } from "radix-ui";
import { Button } from "./button";
import { Input } from "./form";
import { cx } from "./cx";

export type DialogCloseGuard = {
  /** Title of the "are you sure?" question, e.g. "Did you copy the secret?". */
  title: string;
  description?: ReactNode;
  /** Label of the button that really closes (default "Close anyway"). */
  confirmLabel?: string;
  /** Label of the button that goes back (default "Go back"). */
  cancelLabel?: string;
};

export type DialogProps = {
  /** Controlled: show the dialog while true. */
  open: boolean;
  /** Called on Escape, on a backdrop click and by the close button (after the closeGuard question, when set). */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons row at the bottom (right-aligned). */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  className?: string;
  /**
   * Escape, backdrop and × ask this question before closing (e.g. a one-time secret that must not vanish
   * unseen). Buttons in the footer that call onClose themselves close at once.
   */
  closeGuard?: DialogCloseGuard;
};

const FIELD = "input:not([type=hidden]):not([disabled]):not([readonly]), textarea:not([disabled]), select:not([disabled])";

/** Opening focus: the first field; else an element marked data-autofocus; else Radix's first tabbable (never ×, it comes last). */
function focusFirstField(event: Event) {
  const content = event.currentTarget as HTMLElement | null;
  const target = content?.querySelector<HTMLElement>(FIELD) ?? content?.querySelector<HTMLElement>("[data-autofocus]");
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

const overlayClass = "fixed inset-0 z-50 bg-black/50 data-[state=open]:animate-[fade-in_120ms_ease-out]";
const contentClass =
  "fixed top-1/2 left-1/2 z-50 flex max-h-[calc(100dvh-2rem)] w-[calc(100vw-1.5rem)] -translate-x-1/2 -translate-y-1/2 flex-col " +
  "overflow-hidden rounded-xl border border-slate-200 bg-white text-left text-slate-900 shadow-xl focus:outline-none";

function CloseIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden>
      <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
    </svg>
  );
}

/** Modal dialog: title, optional description, a scrolling body and a footer row that stays visible. */
export function Dialog({ open, onClose, title, description, children, footer, size = "md", className, closeGuard }: DialogProps) {
  const [asking, setAsking] = useState(false);
  const requestClose = () => (closeGuard ? setAsking(true) : onClose());
  // These dialogs are opened by state, not a Radix Trigger: remember what had the focus when it opened (the button,
  // or the menu trigger a menu item handed focus back to) and give it back on close, so Escape never drops it on <body>.
  const opener = useRef<HTMLElement | null>(null);
  return (
    <D.Root open={open} onOpenChange={(next) => !next && requestClose()}>
      <D.Portal>
        <D.Overlay className={overlayClass} />
        <D.Content
          onOpenAutoFocus={(event) => {
            // Called before Radix moves the focus in: the active element is still the opener (fields inside dialogs
            // must not use autoFocus, which would move it first and leave nothing to return to).
            const active = document.activeElement;
            const content = event.currentTarget instanceof HTMLElement ? event.currentTarget : null;
            opener.current = active instanceof HTMLElement && active !== document.body && !content?.contains(active) ? active : null;
            focusFirstField(event);
          }}
          onCloseAutoFocus={(event) => {
            const target = opener.current;
            opener.current = null;
            if (target?.isConnected) {
              event.preventDefault();
              target.focus();
            }
          }}
          {...(description ? {} : { "aria-describedby": undefined })}
          className={cx(contentClass, { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl" }[size], className)}
        >
          <div className="flex items-start justify-between gap-4 px-5 pt-5 sm:px-6">
            <div className="min-w-0 pr-8">
              <D.Title className="text-lg font-semibold break-words">{title}</D.Title>
              {description && <D.Description className="mt-1 text-sm text-slate-600">{description}</D.Description>}
            </div>
          </div>
          {children && <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4 sm:px-6">{children}</div>}
          {footer && (
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3 sm:px-6">{footer}</div>
          )}
          {/* Last in the DOM so Tab reaches the fields and buttons first; shown top right. */}
          <button
            type="button"
            onClick={requestClose}
            aria-label="Close"
            className="absolute top-4 right-4 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-500"
          >
            <CloseIcon />
          </button>
          {closeGuard && (
            <GuardDialog
              open={asking}
              guard={closeGuard}
              onStay={() => setAsking(false)}
              onLeave={() => {
                setAsking(false);
                onClose();
              }}
            />
          )}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

function GuardDialog({ open, guard, onStay, onLeave }: { open: boolean; guard: DialogCloseGuard; onStay: () => void; onLeave: () => void }) {
  return (
    <D.Root open={open} onOpenChange={(next) => !next && onStay()}>
      <D.Portal>
        <D.Overlay className={overlayClass} />
        <D.Content
          role="alertdialog"
          {...(guard.description ? {} : { "aria-describedby": undefined })}
          className={cx(contentClass, "max-w-sm")}
        >
          <div className="px-5 pt-5 pb-4 sm:px-6">
            <D.Title className="text-lg font-semibold">{guard.title}</D.Title>
            {guard.description && <D.Description className="mt-1 text-sm text-slate-600">{guard.description}</D.Description>}
          </div>
          <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3 sm:px-6">
            {/* Going back is the safe choice, so it has the focus. */}
            <Button variant="primary" onClick={onStay}>
              {guard.cancelLabel ?? "Go back"}
            </Button>
            <Button variant="secondary" onClick={onLeave}>
              {guard.confirmLabel ?? "Close anyway"}
            </Button>
          </div>
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export type ConfirmDialogProps = {
  open: boolean;
  onClose: () => void;
  /** Runs when confirmed; the dialog shows a spinner until it settles. Throw to keep the dialog open. */
  onConfirm: () => void | Promise<void>;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel?: string;
  /** Red confirm button (default true). */
  danger?: boolean;
  /** When set, the user must type this exact text before the confirm button enables. */
  confirmText?: string;
  /** Extra content between the description and the buttons (e.g. what changes). */
  children?: ReactNode;
};

/** "Are you sure?" dialog, optionally type-to-confirm for destructive actions. Focus starts on Cancel (or the text field). */
export function ConfirmDialog({ open, onClose, onConfirm, title, description, confirmLabel = "Confirm", danger = true, confirmText, children }: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const ready = !confirmText || typed === confirmText;

  const close = () => {
    setTyped("");
    onClose();
  };

  const confirm = async () => {
    if (!ready) return;
    setBusy(true);
    try {
      await onConfirm();
      setTyped("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      description={description}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={busy} data-autofocus>
            Cancel
          </Button>
          <Button variant={danger ? "danger" : "primary"} onClick={confirm} disabled={!ready} loading={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {(children || confirmText) && (
        <div className="space-y-3">
          {children}
          {confirmText && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void confirm();
              }}
              className="space-y-1.5"
            >
              <label htmlFor={inputId} className="block text-sm text-slate-700">
                Type <span className="font-mono font-semibold break-all text-slate-900">{confirmText}</span> to confirm.
              </label>
              <Input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            </form>
          )}
        </div>
      )}
    </Dialog>
  );
}
