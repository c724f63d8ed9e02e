"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, Table, TBody, TD, TH, THead, TR, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import type { SessionJson } from "@/lib/auth/list-sessions";
import { describeDevice } from "./describe-device";
import { formatDateTime } from "@/lib/format/time";

const when = (iso: string) => formatDateTime(iso);

export function SessionsList({ sessions }: { sessions: SessionJson[] }) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const others = sessions.filter((s) => !s.current).length;

  async function act(id: string, work: () => Promise<unknown>, done: string) {
    setBusy(id);
    try {
      await work();
      toast.success(done);
      router.refresh();
    } catch (e) {
      toast.error(problemMessage(e, "That did not work."));
    } finally {
      setBusy(null);
    }
  }

  const signOutButton = (s: SessionJson) =>
    !s.current && (
      <Button size="sm" variant="danger-ghost" loading={busy === s.id} onClick={() => act(s.id, () => callManageApi("DELETE", `/me/sessions/${s.id}`), "Session signed out.")}>
        Sign out
      </Button>
    );

  return (
    <div className="space-y-4">
      {/* Phones: one card per session instead of a table to scroll sideways. */}
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 sm:hidden">
        {sessions.map((s) => (
          <li key={s.id} data-testid="session-card" className="flex items-start justify-between gap-3 px-4 py-3 text-sm">
            <div className="min-w-0 space-y-0.5">
              <p className="font-medium text-slate-900">
                {describeDevice(s.userAgent)} {s.current && <Badge tone="blue">This device</Badge>}
              </p>
              <p className="font-mono text-xs text-slate-600">{s.ip ?? "—"}</p>
              <p className="text-xs text-slate-500">Last seen {when(s.lastSeenAt)}</p>
            </div>
            {signOutButton(s)}
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto sm:block">
        <Table className="min-w-[600px]">
          <THead>
            <TR>
              <TH>Device</TH>
              <TH>IP address</TH>
              <TH>Signed in</TH>
              <TH>Last seen</TH>
              <TH className="w-32" />
            </TR>
          </THead>
          <TBody>
            {sessions.map((s) => (
              <TR key={s.id} data-testid="session-row">
                <TD truncate={false} title={s.userAgent ?? undefined}>
                  <span className="mr-2">{describeDevice(s.userAgent)}</span>
                  {s.current && <Badge tone="blue">This device</Badge>}
                </TD>
                <TD className="font-mono text-xs">{s.ip ?? "—"}</TD>
                <TD className="text-xs">{when(s.createdAt)}</TD>
                <TD className="text-xs">{when(s.lastSeenAt)}</TD>
                <TD truncate={false} className="text-right">
                  {signOutButton(s)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <Button
        variant="secondary"
        disabled={others === 0}
        loading={busy === "others"}
        onClick={() => act("others", () => callManageApi("POST", "/me/sessions/revoke-others"), "Every other session was signed out.")}
      >
        Sign out all other sessions
      </Button>
    </div>
  );
}
