"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
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

/** Provides useToast() to its subtree and renders the toasts (bottom right, announced politely). */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const toast = useCallback(
    (message: ReactNode, tone: ToastTone = "info") => {
      const id = Date.now() + Math.random();
      setToasts((all) => [...all.slice(-3), { id, tone, message }]);
      setTimeout(() => dismiss(id), tone === "error" ? 7000 : 4000);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({ toast, success: (m) => toast(m, "success"), error: (m) => toast(m, "error") }),
    [toast],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2">
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.tone === "error" ? "alert" : "status"}
            className={cx(
              "pointer-events-auto flex items-start gap-3 rounded-lg border bg-white px-4 py-3 text-sm shadow-lg",
              t.tone === "success" && "border-emerald-200",
              t.tone === "error" && "border-red-200",
              t.tone === "info" && "border-slate-200",
            )}
          >
            <span
              aria-hidden
              className={cx(
                "mt-1.5 size-2 shrink-0 rounded-full",
                t.tone === "success" ? "bg-emerald-500" : t.tone === "error" ? "bg-red-500" : "bg-brand-500",
              )}
            />
            <div className="min-w-0 flex-1 break-words text-slate-800">{t.message}</div>
            <button type="button" onClick={() => dismiss(t.id)} aria-label="Dismiss" className="text-slate-400 hover:text-slate-600">
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** Toast API from the nearest <Toaster>; the portal layout provides one. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast() must be used inside <Toaster>");
  return api;
}
