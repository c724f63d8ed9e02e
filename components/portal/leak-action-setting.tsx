"use client";

import { useState } from "react";
import { Button, Card, Field, Select, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import type { ProjectJson } from "@/lib/projects/project-json";
import { problemMessage } from "./problem-message";

type LeakAction = "revoke" | "notify";

/** What a leak report (GitHub secret scanning, or anyone's report) does to one of the project's keys. */
export function LeakActionSetting({ projectId, leakAction: initial, canManage }: { projectId: string; leakAction: LeakAction; canManage: boolean }) {
  const toast = useToast();
  const [value, setValue] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const [busy, setBusy] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const { project } = await callManageApi<{ project: ProjectJson }>("PATCH", `/projects/${encodeURIComponent(projectId)}`, { leakAction: value });
      setSaved(project.leakAction);
      toast.success(project.leakAction === "revoke" ? "Leaked keys will be revoked at once" : "Leaked keys will only be reported");
    } catch (error) {
      toast.error(problemMessage(error, "Could not save the setting."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Leaked keys" description="When GitHub secret scanning or anyone else reports one of this project's keys as public.">
      <form onSubmit={save} className="flex max-w-xl flex-col gap-4 sm:flex-row sm:items-start">
        <Field label="When a key is found in public" className="flex-1">
          <Select name="leakAction" value={value} disabled={!canManage} onChange={(e) => setValue(e.target.value as LeakAction)}>
            <option value="revoke">Revoke it at once and notify the team (recommended)</option>
            <option value="notify">Only notify the team</option>
          </Select>
        </Field>
        <Button type="submit" loading={busy} disabled={!canManage || value === saved} className="sm:mt-6">
          Save
        </Button>
      </form>
    </Card>
  );
}
