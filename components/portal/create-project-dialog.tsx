"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Dialog, Field, Input, useToast, PlusIcon, deniedProps } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import type { ProjectJson } from "@/lib/projects/project-json";
import { problemMessage } from "./problem-message";

/** "New project" button + dialog; on success opens the new project. */
/** `denied`: why this member may not create projects here; the button is then disabled, described by the page's note. */
/** The id of the page's sentence on why project controls are disabled. */
export const PROJECTS_DENIED_ID = "projects-denied";

export function CreateProjectDialog({ label = "New project", variant = "primary", teamId, denied = null }: { label?: string; variant?: "primary" | "secondary"; teamId?: string; denied?: string | null }) {
  const router = useRouter();
  const { success } = useToast();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setOpen(false);
    setName("");
    setError(null);
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { project } = await callManageApi<{ project: ProjectJson }>("POST", "/projects", { name, teamId });
      success(`Project “${project.name}” created`);
      close();
      router.push(`/projects/${project.id}`);
      router.refresh();
    } catch (error) {
      setError(problemMessage(error, "Could not create the project."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)} {...deniedProps(PROJECTS_DENIED_ID, denied)}>
        <PlusIcon />
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title="Create a project"
        description="A project groups the API keys of one app or environment, with its own catalog and usage."
        footer={
          <>
            <Button variant="secondary" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" form="create-project" loading={busy}>
              Create project
            </Button>
          </>
        }
      >
        <form id="create-project" onSubmit={submit}>
          <Field label="Project name" error={error} hint="You can rename it later.">
            <Input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. Storefront iOS app" required />
          </Field>
        </form>
      </Dialog>
    </>
  );
}
