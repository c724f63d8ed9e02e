"use client";
// The zombie-key threshold (days without use), saved through PATCH /api/manage/v1/admin/settings.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Input, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";
import { formatUnit } from "@/components/charts/format";

export function ZombieDaysForm({ value }: { value: number }) {
  const [days, setDays] = useState(String(value));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await callManageApi("PATCH", "/admin/settings", { zombieDays: Number(days) });
          toast.success(`Zombie threshold set to ${formatUnit(Number(days), "day")}`);
          router.refresh();
        } catch (err) {
          setError(err instanceof ManageApiError ? (err.field("zombieDays") ?? err.message) : "Could not save");
        } finally {
          setBusy(false);
        }
      }}
    >
      <label className="text-sm text-slate-700">
        <span className="mb-1 block font-medium">A key is a zombie after</span>
        <span className="flex items-center gap-2 whitespace-nowrap">
          <span className="w-24 shrink-0">
            <Input type="number" min={1} max={365} required value={days} onChange={(e) => setDays(e.target.value)} aria-label="Zombie threshold in days" invalid={Boolean(error)} />
          </span>
          days without use
        </span>
      </label>
      <Button type="submit" variant="secondary" size="sm" loading={busy}>
        Save
      </Button>
      {error && <p className="w-full text-sm text-red-600">{error}</p>}
    </form>
  );
}
