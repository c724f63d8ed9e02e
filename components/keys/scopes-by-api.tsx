"use client";
// The scope checkboxes of a key dialog, grouped by API (the catalog's, then each registered API's), with each
// scope's description, from GET /api/manage/v1/apis. Until that answers (or if it fails), the catalog's scopes.
// Below them, as the boxes change: which routes a key with these scopes reaches on its tier (the key's own, or the
// project's default tier for a new key), by the gateway's rule (lib/keys/key-reach.ts).
import { useEffect, useState } from "react";
import { Checkbox } from "@/components/ui";
import type { PublicApiJson } from "@/lib/apis/serialize-api";
import { keyReach, type ReachRow } from "@/lib/keys/key-reach";
import { SCOPES } from "@/lib/keys/scopes";
import { callManageApi } from "./api-client";

type Group = { slug: string; name: string; scopes: { name: string; description: string }[] };

const CATALOG_HELP: Record<string, string> = {
  "products:read": "List and read products",
  "products:write": "Create, edit and delete products",
  "inventory:read": "Read stock levels",
  "inventory:write": "Set stock levels",
};
const FALLBACK: Group[] = [{ slug: "catalog", name: "Catalog", scopes: SCOPES.map((name) => ({ name, description: CATALOG_HELP[name] ?? "" })) }];

/** `tier`: the key's tier; for a new key, `projectId` (its project's default tier is read). */
export function ScopesByApi({ selected = [], tier, projectId }: { selected?: string[]; tier?: string; projectId?: string }) {
  const [groups, setGroups] = useState<Group[]>(FALLBACK);
  const [apis, setApis] = useState<PublicApiJson[] | null>(null);
  const [checked, setChecked] = useState<string[]>(selected);
  const [defaultTier, setDefaultTier] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    callManageApi<{ apis: PublicApiJson[] }>("GET", "/apis")
      .then(({ apis }) => {
        if (!live) return;
        setApis(apis);
        setGroups(apis.filter((a) => a.scopes.length > 0).map((a) => ({ slug: a.slug, name: a.name, scopes: a.scopes })));
      })
      .catch(() => {});
    if (!tier && projectId) {
      callManageApi<{ project: { defaultTier: string } }>("GET", `/projects/${encodeURIComponent(projectId)}`)
        .then(({ project }) => {
          if (live) setDefaultTier(project.defaultTier);
        })
        .catch(() => {});
    }
    return () => {
      live = false;
    };
  }, [tier, projectId]);
  const reachTier = tier ?? defaultTier;
  // A scope the key holds that no listed API names (not loaded yet, or its API was removed) stays checked, so saving
  // the form never drops it silently.
  const listed = new Set(groups.flatMap((g) => g.scopes.map((s) => s.name)));
  const others = selected.filter((s) => !listed.has(s));
  const shown = others.length ? [...groups, { slug: "__other", name: "Other scopes of this key", scopes: others.map((name) => ({ name, description: "" })) }] : groups;
  return (
    <div
      className="space-y-3"
      data-testid="scopes-by-api"
      onChange={(e) => {
        const box = e.target;
        if (!(box instanceof HTMLInputElement) || box.name !== "scopes") return;
        setChecked((now) => (box.checked ? [...new Set([...now, box.value])] : now.filter((s) => s !== box.value)));
      }}
    >
      {shown.map((g) => (
        <fieldset key={g.slug} className="min-w-0">
          <legend className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{g.name}</legend>
          <div className="mt-1 grid gap-2.5 sm:grid-cols-2">
            {g.scopes.map((s) => (
              <Checkbox key={s.name} name="scopes" value={s.name} defaultChecked={selected.includes(s.name)} label={<code className="font-mono break-all">{s.name}</code>} description={s.description || undefined} />
            ))}
          </div>
        </fieldset>
      ))}
      {apis && reachTier ? <ReachPreview rows={keyReach({ scopes: checked, tier: reachTier }, apis)} tier={reachTier} /> : null}
    </div>
  );
}

function ReachPreview({ rows, tier }: { rows: ReachRow[]; tier: string }) {
  const allowed = rows.filter((r) => r.allowed);
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-xs text-slate-600" data-testid="scope-reach">
      <p aria-live="polite">
        On the <strong className="font-semibold text-slate-800">{tier}</strong> tier, a key with these scopes may call{" "}
        <strong className="font-semibold text-slate-800">{allowed.length}</strong> of {rows.length} routes.
      </p>
      <details className="mt-1">
        <summary className="cursor-pointer font-medium text-slate-800">Which routes</summary>
        <ul className="mt-2 space-y-1">
          {rows.map((r) => (
            <li key={`${r.api} ${r.method} ${r.path}`} className="break-words">
              <code className="font-mono break-all text-slate-800">
                {r.method} {r.path}
              </code>{" "}
              — {r.allowed ? "yes" : `no, ${r.reason}`}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
