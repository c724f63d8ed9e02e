"use client";
// Create or edit a tier: limits (blank = unlimited) and the spike circuit breaker setting.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Dialog, Field, Input, Select, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";
import type { TierJson } from "@/lib/admin/tier-fields";

type Form = Record<"name" | "burstPerSecond" | "perMinute" | "perDay" | "perMonth" | "spikeThrottleSeconds", string> & {
  spikeAction: "flag" | "throttle";
  spikeThrottleTierId: string;
};

const toForm = (t?: TierJson): Form => ({
  name: t?.name ?? "",
  burstPerSecond: t?.burstPerSecond?.toString() ?? "",
  perMinute: t?.perMinute?.toString() ?? "",
  perDay: t?.perDay?.toString() ?? "",
  perMonth: t?.perMonth?.toString() ?? "",
  spikeAction: t?.spikeAction ?? "flag",
  spikeThrottleTierId: t?.spikeThrottleTierId ?? "",
  spikeThrottleSeconds: String((t?.spikeThrottleSeconds ?? 3600) / 60),
});

const limit = (v: string) => (v.trim() === "" ? null : Number(v));

export function TierEditor({ tier, tiers }: { tier?: TierJson; tiers: TierJson[] }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<Form>(toForm(tier));
  const [error, setError] = useState<ManageApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const toast = useToast();
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async () => {
    setBusy(true);
    setError(null);
    const body = {
      name: form.name.trim(),
      burstPerSecond: limit(form.burstPerSecond),
      perMinute: limit(form.perMinute),
      perDay: limit(form.perDay),
      perMonth: limit(form.perMonth),
      spikeAction: form.spikeAction,
      spikeThrottleTierId: form.spikeThrottleTierId || null,
      spikeThrottleSeconds: Math.round(Number(form.spikeThrottleSeconds) * 60),
    };
    try {
      await callManageApi(tier ? "PATCH" : "POST", tier ? `/admin/tiers/${tier.id}` : "/admin/tiers", body);
      toast.success(tier ? `Saved tier ${body.name}` : `Created tier ${body.name}`);
      setOpen(false);
      router.refresh();
    } catch (err) {
      setError(err instanceof ManageApiError ? err : new ManageApiError({ status: 0, detail: "Could not save the tier" }));
    } finally {
      setBusy(false);
    }
  };
  const limitField = (k: "burstPerSecond" | "perMinute" | "perDay" | "perMonth", label: string) => (
    <Field label={label} error={error?.field(k)} hint="blank = unlimited">
      <Input type="number" min={1} value={form[k]} onChange={set(k)} placeholder="unlimited" />
    </Field>
  );
  return (
    <>
      <Button
        variant={tier ? "secondary" : "primary"}
        size={tier ? "sm" : "md"}
        onClick={() => {
          setForm(toForm(tier));
          setError(null);
          setOpen(true);
        }}
        aria-label={tier ? `Edit tier ${tier.name}` : undefined}
      >
        {tier ? "Edit" : "New tier"}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={tier ? `Edit tier ${tier.name}` : "New tier"}
        description="Changes apply to every key on this tier at its next request. Used quota is never reset."
        size="lg"
        className="text-left"
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button onClick={submit} loading={busy}>
              {tier ? "Save tier" : "Create tier"}
            </Button>
          </>
        }
      >
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {error && !error.problem.errors?.length && <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error.message}</p>}
          <Field label="Name" error={error?.field("name")}>
            <Input value={form.name} onChange={set("name")} required maxLength={40} placeholder="e.g. startup" />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            {limitField("burstPerSecond", "Burst (requests / second)")}
            {limitField("perMinute", "Requests / minute")}
            {limitField("perDay", "Requests / day")}
            {limitField("perMonth", "Requests / month")}
          </div>
          <fieldset className="space-y-3 rounded-md border border-slate-200 p-4">
            <legend className="px-1 text-sm font-semibold text-slate-800">Spike circuit breaker</legend>
            <Field label="When a key spikes (≥ 10× its usual hourly traffic)" error={error?.field("spikeAction")}>
              <Select value={form.spikeAction} onChange={set("spikeAction")}>
                <option value="flag">Flag only (shown to admins and the key&apos;s owner)</option>
                <option value="throttle">Throttle to a restricted tier for a while</option>
              </Select>
            </Field>
            {form.spikeAction === "throttle" && (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Throttle to tier" error={error?.field("spikeThrottleTierId")}>
                  <Select value={form.spikeThrottleTierId} onChange={set("spikeThrottleTierId")}>
                    <option value="">Choose a tier…</option>
                    {tiers
                      .filter((t) => t.id !== tier?.id)
                      .map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                  </Select>
                </Field>
                <Field label="For (minutes)" error={error?.field("spikeThrottleSeconds")}>
                  <Input type="number" min={1} max={43200} value={form.spikeThrottleSeconds} onChange={set("spikeThrottleSeconds")} />
                </Field>
              </div>
            )}
          </fieldset>
        </form>
      </Dialog>
    </>
  );
}
