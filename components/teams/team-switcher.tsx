"use client";
// The team switcher in the top bar: which team's projects the portal shows. The choice is a cookie read by the pages;
// it only picks among the user's own teams (the server checks membership on every read).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Dialog, Field, Input, Menu, MenuItem, MenuLabel, MenuRadioGroup, MenuRadioItem, MenuSeparator, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import { CURRENT_TEAM_COOKIE, type TeamJson } from "@/lib/teams/team-json";



export function chooseTeam(teamId: string) {
  document.cookie = `${CURRENT_TEAM_COOKIE}=${encodeURIComponent(teamId)}; path=/; max-age=31536000; samesite=lax`;
}

export function TeamSwitcher({ teams, current }: { teams: TeamJson[]; current: TeamJson }) {
  const router = useRouter();
  const { success } = useToast();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const switchTo = (teamId: string) => {
    chooseTeam(teamId);
    router.push("/dashboard");
    router.refresh();
  };

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { team } = await callManageApi<{ team: TeamJson }>("POST", "/teams", { name });
      success(`Team “${team.name}” created`);
      setCreating(false);
      setName("");
      switchTo(team.id);
    } catch (err) {
      setError(problemMessage(err, "Could not create the team."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Menu
        label="Teams"
        align="start"
        className="w-72"
        trigger={
          <button
            type="button"
            aria-label={`Team: ${current.name}`}
            className="flex min-w-0 max-w-40 items-center gap-1.5 rounded-md border border-slate-200 px-2 py-1 text-sm text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-500 sm:max-w-56"
          >
            {/* brand-600 is the same in both themes (slate-800 turns near-white in dark mode, under white text). */}
            <span aria-hidden className="flex size-5 shrink-0 items-center justify-center rounded bg-brand-600 text-[11px] font-semibold text-white">
              {current.name.trim().charAt(0).toUpperCase()}
            </span>
            <span className="truncate">{current.name}</span>
            <svg aria-hidden viewBox="0 0 20 20" className="size-4 shrink-0 text-slate-400" fill="currentColor">
              <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
            </svg>
          </button>
        }
      >
        <MenuLabel className="text-xs font-medium text-slate-500 uppercase">Teams</MenuLabel>
        <MenuRadioGroup value={current.id} onValueChange={switchTo}>
          {teams.map((t) => (
            <MenuRadioItem key={t.id} value={t.id}>
              <span className="min-w-0 flex-1 truncate">{t.name}</span>
              <span className="text-xs text-slate-500">{t.role}</span>
            </MenuRadioItem>
          ))}
        </MenuRadioGroup>
        <MenuSeparator />
        <MenuItem asChild>
          <Link href={`/teams/${current.id}`}>Team settings</Link>
        </MenuItem>
        <MenuItem onSelect={() => setCreating(true)}>New team…</MenuItem>
      </Menu>
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="Create a team"
        description="Teams own projects. Invite people and give each a role: viewer, developer, admin or owner."
        footer={
          <>
            <Button variant="secondary" onClick={() => setCreating(false)} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" form="create-team" loading={busy}>
              Create team
            </Button>
          </>
        }
      >
        <form id="create-team" onSubmit={create}>
          <Field label="Team name" error={error}>
            <Input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. Acme mobile" required />
          </Field>
        </form>
      </Dialog>
    </>
  );
}
