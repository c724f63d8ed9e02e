"use client";
// A tier dropdown (key tier, project default tier): picking a tier asks for confirmation, then saves and refreshes.
// Arrow keys on a focused native select change its value at once, so nothing is saved without the confirm step.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog, Select, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";

export function TierSelect({ value, tiers, path, field, label, disabled }: { value: string; tiers: { id: string; name: string }[]; path: string; field: string; label: string; disabled?: boolean }) {
  const [current, setCurrent] = useState(value);
  const [pending, setPending] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();
  const nameOf = (id: string) => tiers.find((t) => t.id === id)?.name ?? id;
  return (
    <>
      <Select aria-label={label} value={pending ?? current} disabled={disabled} className="h-8 min-w-24 py-0 text-sm" onChange={(e) => setPending(e.target.value === current ? null : e.target.value)}>
        {tiers.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </Select>
      <ConfirmDialog
        open={pending !== null}
        onClose={() => setPending(null)}
        danger={false}
        title={`Change ${label.charAt(0).toLowerCase()}${label.slice(1)}?`}
        description={pending ? `From ${nameOf(current)} to ${nameOf(pending)}. The new limits apply to the next request.` : undefined}
        confirmLabel={pending ? `Change to ${nameOf(pending)}` : "Change"}
        onConfirm={async () => {
          if (!pending) return;
          try {
            await callManageApi("PATCH", path, { [field]: pending });
            setCurrent(pending);
            setPending(null);
            toast.success(`${label}: ${nameOf(pending)}`);
            router.refresh();
          } catch (error) {
            setPending(null);
            toast.error(error instanceof ManageApiError ? error.message : "Could not change the tier");
          }
        }}
      />
    </>
  );
}
