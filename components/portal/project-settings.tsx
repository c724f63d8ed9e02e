"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Card, ConfirmDialog, Field, Input, useToast } from "@/components/ui";

type Problem = { detail?: string; errors?: { path: string; message: string }[] };

/** Rename form and the danger zone (type-to-confirm delete) of one project. */
export function ProjectSettings({ projectId, name: initialName }: { projectId: string; name: string }) {
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(initialName);
  const [saved, setSaved] = useState(initialName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const url = `/api/manage/v1/projects/${encodeURIComponent(projectId)}`;

  async function rename(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(url, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name }) });
      const body = await res.json();
      if (!res.ok) {
        const problem = body as Problem;
        setError(problem.errors?.[0]?.message ?? problem.detail ?? "Could not rename the project.");
        return;
      }
      setName(body.project.name);
      setSaved(body.project.name);
      toast.success("Project renamed");
      router.refresh();
    } catch {
      setError("Network error. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    const res = await fetch(url, { method: "DELETE" }).catch(() => null);
    if (!res || !res.ok) {
      const problem = res ? ((await res.json().catch(() => ({}))) as Problem) : {};
      toast.error(problem.detail ?? "Could not delete the project.");
      throw new Error("delete failed");
    }
    toast.success(`Project “${saved}” deleted`);
    router.push("/dashboard");
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <Card title="General" description="The name is shown to you and in your audit log.">
        <form onSubmit={rename} className="flex max-w-xl flex-col gap-4 sm:flex-row sm:items-start">
          <Field label="Project name" error={error} className="flex-1">
            <Input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
          </Field>
          <Button type="submit" loading={busy} disabled={name.trim() === saved || name.trim() === ""} className="sm:mt-6">
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
          <Button variant="danger" onClick={() => setConfirming(true)}>
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
