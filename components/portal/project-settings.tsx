"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Card, ConfirmDialog, DeniedNote, deniedProps, Field, Input, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";
import type { ProjectJson } from "@/lib/projects/project-json";
import { problemMessage } from "./problem-message";

const DENIED_ID = "project-denied";

/**
 * Rename form and the danger zone (type-to-confirm delete) of one project. `denied`: why this member may not change
 * it (from the one permission table); its controls are then disabled and described by that sentence.
 */
export function ProjectSettings({ projectId, name: initialName, denied = null }: { projectId: string; name: string; denied?: string | null }) {
  const canManage = denied === null;
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(initialName);
  const [saved, setSaved] = useState(initialName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const path = `/projects/${encodeURIComponent(projectId)}`;

  async function rename(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { project } = await callManageApi<{ project: ProjectJson }>("PATCH", path, { name });
      setName(project.name);
      setSaved(project.name);
      toast.success("Project renamed");
      router.refresh();
    } catch (error) {
      setError(problemMessage(error, "Could not rename the project."));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    await callManageApi("DELETE", path).catch((error: unknown) => {
      toast.error(error instanceof ManageApiError && error.problem.detail ? error.problem.detail : "Could not delete the project.");
      throw error;
    });
    toast.success(`Project “${saved}” deleted`);
    router.push("/dashboard");
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <DeniedNote id={DENIED_ID} reason={denied} />
      <Card title="General" description="The name is shown to you and in your audit log.">
        <form onSubmit={rename} className="flex max-w-xl flex-col gap-4 sm:flex-row sm:items-start">
          <Field label="Project name" error={error} className="flex-1">
            <Input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required disabled={!canManage} aria-describedby={denied ? DENIED_ID : undefined} />
          </Field>
          <Button type="submit" loading={busy} disabled={!canManage || name.trim() === saved || name.trim() === ""} title={denied ?? undefined} aria-describedby={denied ? DENIED_ID : undefined} className="sm:mt-6">
            Save
          </Button>
        </form>
      </Card>
      <Card title="Danger zone" className="border-red-200">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <div className="max-w-xl text-sm text-slate-600">
            <p className="font-medium text-slate-900">Delete this project</p>
            <p>Every API key in it is revoked immediately and stops working. Usage history and the audit log are kept.</p>
          </div>
          <Button variant="danger" onClick={() => setConfirming(true)} {...deniedProps(DENIED_ID, denied)}>
            Delete project
          </Button>
        </div>
      </Card>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={remove}
        title="Delete project?"
        description="All of its API keys are revoked at once. This cannot be undone."
        confirmLabel="Delete project"
        confirmText={saved}
      />
    </div>
  );
}
