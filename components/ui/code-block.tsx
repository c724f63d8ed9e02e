import { CopyButton } from "./copy-button";
import { cx } from "./cx";

/**
 * Monospace, horizontally scrollable code with a copy button. With `language`, a header bar names it and holds the
 * button; `copy={false}` hides the button.
 */
export function CodeBlock({ code, language, copy = true, className }: { code: string; language?: string; copy?: boolean; className?: string }) {
  return (
    <div className={cx("relative rounded-lg border border-slate-800 bg-slate-900 text-slate-100 dark:border-slate-200 dark:bg-slate-100 dark:text-slate-900", className)}>
      {language && (
        <div className="flex items-center justify-between border-b border-slate-800 py-1.5 pr-2 pl-4 dark:border-slate-200">
          <span className="text-xs text-slate-400 dark:text-slate-600">{language}</span>
          {copy && <CopyButton value={code} size="sm" className="h-7" />}
        </div>
      )}
      <pre tabIndex={0} className={cx("overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-500 p-4 font-mono text-[13px] leading-relaxed", copy && !language && "pr-20")}>
        <code>{code}</code>
      </pre>
      {copy && !language && (
        <div className="absolute top-2 right-2">
          <CopyButton value={code} size="sm" />
        </div>
      )}
    </div>
  );
}
