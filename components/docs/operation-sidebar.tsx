"use client";
// The operations of one API's docs page as a sidebar: a search box filters them by method, path, summary or
// operationId as the developer types; each entry links to the operation's anchor.
import { useDeferredValue, useId, useState } from "react";
import { Input } from "@/components/ui";

export type SidebarOperation = { anchor: string; method: string; path: string; summary: string };

export function OperationSidebar({ operations }: { operations: SidebarOperation[] }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const id = useId();
  const shown = deferred
    ? operations.filter((o) => `${o.method} ${o.path} ${o.summary} ${o.anchor}`.toLowerCase().includes(deferred))
    : operations;
  return (
    <nav aria-label="Operations" className="space-y-2 lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:overflow-y-auto" data-testid="operation-sidebar">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Search operations
      </label>
      <Input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="GET /orders" autoComplete="off" />
      <p className="text-xs text-slate-500" aria-live="polite">
        {shown.length} of {operations.length}
      </p>
      <ul className="space-y-0.5">
        {shown.map((o) => (
          <li key={o.anchor}>
            <a href={`#${o.anchor}`} className="block rounded px-2 py-1 text-xs break-all text-slate-700 hover:bg-slate-100 hover:text-slate-900">
              <span className="font-mono font-semibold">{o.method}</span> <span className="font-mono">{o.path}</span>
              {o.summary ? <span className="block text-slate-500">{o.summary}</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
