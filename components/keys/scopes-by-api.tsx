"use client";
// The scope checkboxes of a key dialog, grouped by API (the catalog's, then each registered API's), with each
// scope's description, from GET /api/manage/v1/apis. Until that answers (or if it fails), the catalog's scopes.
import { useEffect, useState } from "react";
import { Checkbox } from "@/components/ui";
import type { PublicApiJson } from "@/lib/apis/serialize-api";
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

export function ScopesByApi({ selected = [] }: { selected?: string[] }) {
  const [groups, setGroups] = useState<Group[]>(FALLBACK);
  useEffect(() => {
    let live = true;
    callManageApi<{ apis: PublicApiJson[] }>("GET", "/apis")
      .then(({ apis }) => {
        if (live) setGroups(apis.filter((a) => a.scopes.length > 0).map((a) => ({ slug: a.slug, name: a.name, scopes: a.scopes })));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  // A scope the key holds that no listed API names (not loaded yet, or its API was removed) stays checked, so saving
  // the form never drops it silently.
  const listed = new Set(groups.flatMap((g) => g.scopes.map((s) => s.name)));
  const others = selected.filter((s) => !listed.has(s));
  const shown = others.length ? [...groups, { slug: "__other", name: "Other scopes of this key", scopes: others.map((name) => ({ name, description: "" })) }] : groups;
  return (
    <div className="space-y-3" data-testid="scopes-by-api">
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
    </div>
  );
}
