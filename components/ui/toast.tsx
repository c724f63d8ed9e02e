"use client";
// Toasts are Radix Toast (a labelled region reachable with F8, pause on hover/focus, swipe to dismiss, announced to
// screen readers) with Keyport's look. useToast() kept its shape.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Toast as T } from "radix-ui";
import { cx } from "./cx";

export type ToastTone = "success" | "error" | "info";
export type Toast = { id: number; tone: ToastTone; message: ReactNode };

type ToastApi = {
  /** Shows a toast for a few seconds. */
  toast: (message: ReactNode, tone?: ToastTone) => void;
  success: (message: ReactNode) => void;
  error: (message: ReactNode) => void;
};

const ToastContext = createContext<ToastApi | null>(null);

/** Provides useToast() to its subtree and renders the toasts (bottom right; full width on phones). */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const toast = useCallback((message: ReactNode, tone: ToastTone = "info") => {
    const id = Date.now() + Math.random();
    setToasts((all) => [...all.slice(-3), { id, tone, message }]);
  }, []);
  const api = useMemo<ToastApi>(() => ({ toast, success: (m) => toast(m, "success"), error: (m) => toast(m, "error") }), [toast]);

  return (
    <ToastContext.Provider value={api}>
      <T.Provider swipeDirection="right" label="Notifications">
        {children}
        {toasts.map((t) => (
          <T.Root
            key={t.id}
            // Errors interrupt (assertive) and stay longer; the rest are polite.
            type={t.tone === "error" ? "foreground" : "background"}
            duration={t.tone === "error" ? 7000 : 4000}
            onOpenChange={(open) => !open && dismiss(t.id)}
            className={cx(
              "flex items-start gap-3 rounded-lg border bg-white px-4 py-3 text-sm shadow-lg",
              "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=end]:translate-x-(--radix-toast-swipe-end-x)",
              t.tone === "success" && "border-emerald-200",
              t.tone === "error" && "border-red-200",
              t.tone === "info" && "border-slate-200",
            )}
          >
            <span
              aria-hidden
              className={cx("mt-1.5 size-2 shrink-0 rounded-full", t.tone === "success" ? "bg-emerald-500" : t.tone === "error" ? "bg-red-500" : "bg-brand-500")}
            />
            <T.Description className="min-w-0 flex-1 break-words text-slate-800">{t.message}</T.Description>
            <T.Close aria-label="Dismiss" className="rounded px-1 text-slate-500 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-500">
              ×
            </T.Close>
          </T.Root>
        ))}
        <T.Viewport className="fixed right-0 bottom-0 z-[60] m-0 flex w-full max-w-sm list-none flex-col gap-2 p-4 outline-none" />
      </T.Provider>
    </ToastContext.Provider>
  );
}

/** Toast API from the nearest <Toaster>; the portal layout provides one. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast() must be used inside <Toaster>");
  return api;
}
