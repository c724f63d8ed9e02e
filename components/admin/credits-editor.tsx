"use client";
// An admin sets a key's or a project's credits (balance and refill, or none) and tops them up with a reason
// (PATCH …/admin/{keys|projects}/{id} { credits }, POST …/credits { add, reason }).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Dialog, Field, Input, Select, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";
import { creditsSummary, type Credits } from "@/components/keys/credits-summary";

type Props = { credits: Credits; owner: "key" | "project"; id: string; name: string };

export function CreditsEditor({ credits, owner, id, name }: Props) {
  const [open, setOpen] = useState<"set" | "top-up" | null>(null);
  const [remaining, setRemaining] = useState(String(credits?.remaining ?? ""));
  const [interval, setInterval] = useState<"" | "day" | "month">(credits?.refill?.interval ?? "");
  const [amount, setAmount] = useState(String(credits?.refill?.amount ?? ""));
  const [add, setAdd] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();
  const base = `/admin/${owner === "key" ? "keys" : "projects"}/${id}`;

  const submit = async (body: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await body();
      setOpen(null);
      toast.success(done);
      router.refresh();
    } catch (e) {
      setError(e instanceof ManageApiError ? e.message : "Could not save the credits");
    } finally {
      setBusy(false);
    }
  };
  const save = (value: null | { remaining: number; refill: null | { amount: number; interval: "day" | "month" } }) =>
    submit(() => callManageApi("PATCH", base, { credits: value }), value ? `Credits of ${name} set` : `Credits of ${name} removed`);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-sm text-slate-700 tabular-nums">{creditsSummary(credits)}</span>
      <Button size="sm" variant="secondary" onClick={() => setOpen("set")} aria-label={`Set credits of ${name}`}>
        Set
      </Button>
      <Button size="sm" variant="secondary" onClick={() => setOpen("top-up")} aria-label={`Top up credits of ${name}`}>
        Top up
      </Button>
      <Dialog
        open={open === "set"}
        onClose={() => setOpen(null)}
        title={`Credits of ${name}`}
        description="Each charged request spends its cost. A refill sets the balance back to its amount at every UTC day or month boundary."
        footer={
          <>
            {credits && (
              <Button variant="secondary" disabled={busy} onClick={() => save(null)}>
                Remove credits
              </Button>
            )}
            <Button
              loading={busy}
              onClick={() =>
                save({
                  remaining: Number(remaining),
                  refill: interval ? { amount: Number(amount), interval } : null,
                })
              }
            >
              Save
            </Button>
          </>
        }
      >
        <div className="space-y-3">
          <Field label="Balance" error={error ?? undefined}>
            <Input type="number" min={0} step={1} inputMode="numeric" value={remaining} onChange={(e) => setRemaining(e.target.value)} />
          </Field>
          <Field label="Refill">
            <Select value={interval} onChange={(e) => setInterval(e.target.value as "" | "day" | "month")}>
              <option value="">No refill</option>
              <option value="day">Every UTC day</option>
              <option value="month">Every calendar month</option>
            </Select>
          </Field>
          {interval && (
            <Field label="Refill amount">
              <Input type="number" min={1} step={1} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
            </Field>
          )}
        </div>
      </Dialog>
      <Dialog
        open={open === "top-up"}
        onClose={() => setOpen(null)}
        title={`Top up credits of ${name}`}
        description="Added to the live balance at once, on every instance, and written to the audit log with the reason."
        footer={
          <Button
            loading={busy}
            onClick={() => submit(() => callManageApi("POST", `${base}/credits`, { add: Number(add), reason }), `Added ${add} credits to ${name}`)}
          >
            Top up
          </Button>
        }
      >
        <div className="space-y-3">
          <Field label="Credits to add" error={error ?? undefined}>
            <Input type="number" min={1} step={1} inputMode="numeric" value={add} onChange={(e) => setAdd(e.target.value)} />
          </Field>
          <Field label="Reason">
            <Input maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Invoice 2026-12, goodwill…" />
          </Field>
        </div>
      </Dialog>
    </div>
  );
}
