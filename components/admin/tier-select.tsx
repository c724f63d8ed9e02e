"use client";
// A tier dropdown that saves on change (key tier, project default tier) and refreshes the page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Select, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";

export function TierSelect({ value, tiers, path, field, label, disabled }: { value: string; tiers: { id: string; name: string }[]; path: string; field: "tier" | "defaultTier"; label: string; disabled?: boolean }) {
  const [current, setCurrent] = useState(value);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const toast = useToast();
  return (
    <Select
      aria-label={label}
      value={current}
      disabled={disabled || busy}
      className="h-8 py-0 text-sm"
      onChange={async (e) => {
        const next = e.target.value;
        const previous = current;
        setCurrent(next);
        setBusy(true);
        try {
          await callManageApi("PATCH", path, { [field]: next });
          toast.success(`${label}: ${tiers.find((t) => t.id === next)?.name ?? next}`);
          router.refresh();
        } catch (error) {
          setCurrent(previous);
          toast.error(error instanceof ManageApiError ? error.message : "Could not change the tier");
        } finally {
          setBusy(false);
        }
      }}
    >
      {tiers.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name}
        </option>
      ))}
    </Select>
  );
}
