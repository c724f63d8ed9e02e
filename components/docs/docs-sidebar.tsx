"use client";
// The docs' sidebar: the operations (or any sections) in groups, with a search box that filters them as you type.
// Reusable by every docs page (the API reference, and per-API pages under /docs/api/{slug}): pass the groups.
import { useId, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui";

export type DocsSidebarItem = { href: string; label: string; method?: string; hint?: string };
export type DocsSidebarGroup = { title: string; items: DocsSidebarItem[] };

const METHOD_TONE: Record<string, BadgeTone> = { GET: "blue", POST: "green", PUT: "amber", PATCH: "amber", DELETE: "red" };

export function DocsSidebar({ groups, label = "Operations" }: { groups: DocsSidebarGroup[]; label?: string }) {
  const [query, setQuery] = useState("");
  const searchId = useId();
  const q = query.trim().toLowerCase();
  const shown = groups
    .map((g) => ({ ...g, items: g.items.filter((i) => !q || [i.label, i.method ?? "", i.hint ?? ""].some((t) => t.toLowerCase().includes(q))) }))
    .filter((g) => g.items.length > 0);
  return (
    <nav aria-label={label} className="min-w-0 lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:overflow-y-auto">
      <label htmlFor={searchId} className="sr-only">
        Search {label.toLowerCase()}
      </label>
      <input
        id={searchId}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={`Search ${label.toLowerCase()}`}
        className="h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-brand-500"
      />
      {shown.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">Nothing matches “{query}”.</p>
      ) : (
        shown.map((g) => (
          <div key={g.title} className="mt-4">
            <p className="px-2 text-xs font-medium tracking-wide text-slate-500 uppercase">{g.title}</p>
            <ul className="mt-1 space-y-0.5">
              {g.items.map((i) => (
                <li key={i.href}>
                  <a href={i.href} title={i.hint} className="flex min-w-0 items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                    {i.method && (
                      <Badge tone={METHOD_TONE[i.method] ?? "gray"} className="w-14 shrink-0 justify-center">
                        {i.method}
                      </Badge>
                    )}
                    <span className="min-w-0 truncate font-mono text-xs">{i.label}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </nav>
  );
}
