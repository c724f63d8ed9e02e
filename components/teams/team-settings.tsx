"use client";
// Team settings: members and their roles, invitations, and the danger zone. Every button calls the management API,
// which applies the permission table; the UI only hides what the caller's role can never do.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, Card, ConfirmDialog, DeniedNote, Field, Input, Select, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import type { InvitationJson } from "@/lib/teams/invitation-json";
import type { MemberJson } from "@/lib/teams/list-members";
import type { TeamJson } from "@/lib/teams/team-json";
import { chooseTeam } from "./team-switcher";
import { formatDate } from "@/lib/format/time";


const TEAM_ROLES = ["viewer", "developer", "admin", "owner"] as const;

/**
 * `denied`: why the caller may not invite, remove or change roles (from the one permission table), null when they may.
 * `ownPersonal`: this is the signed-in user's own personal team (the only team they cannot leave).
 */
export function TeamSettings({
  me,
  team,
  members,
  invitations,
  denied,
  ownPersonal,
}: {
  me: string;
  team: TeamJson;
  members: MemberJson[];
  invitations: InvitationJson[];
  denied: string | null;
  ownPersonal: boolean;
}) {
  const canManage = denied === null;
  const router = useRouter();
  const toast = useToast();
  const base = `/teams/${encodeURIComponent(team.id)}`;
  const isOwner = team.role === "owner";
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("developer");
  const [inviteError, setInviteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<null | "leave" | "delete">(null);

  async function run(action: () => Promise<unknown>, done: string, fallback: string) {
    try {
      await action();
      toast.success(done);
      router.refresh();
    } catch (error) {
      toast.error(problemMessage(error, fallback));
    }
  }

  async function invite(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setInviteError(null);
    try {
      await callManageApi("POST", `${base}/invitations`, { email, role });
      toast.success(`Invitation sent to ${email}`);
      setEmail("");
      router.refresh();
    } catch (error) {
      setInviteError(problemMessage(error, "Could not send the invitation."));
    } finally {
      setBusy(false);
    }
  }

  // Owners may give any role; admins any role below owner, and never to or from an owner.
  const assignable = (current: string) => TEAM_ROLES.filter((r) => isOwner || (r !== "owner" && current !== "owner"));

  return (
    <div className="space-y-6">
      <Card title="Members" description="Viewers read; developers also manage keys; admins also manage projects, webhooks and members; owners also delete the team and grant ownership.">
        <ul className="divide-y divide-slate-100" aria-label="Members">
          {members.map((m) => (
            <li key={m.userId} className="flex flex-wrap items-center gap-x-4 gap-y-2 py-3">
              <span className="min-w-0 flex-1 basis-48" title={m.email}>
                <span className="block truncate font-medium text-slate-900">{m.name || m.email}</span>
                {m.name && <span className="block truncate text-xs text-slate-500">{m.email}</span>}
              </span>
              <span className="flex items-center gap-2">
                {canManage && m.userId !== me && assignable(m.role).includes(m.role) ? (
                  <Select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    onChange={(e) => run(() => callManageApi("PATCH", `${base}/members/${m.userId}`, { role: e.target.value }), `${m.email} is now ${e.target.value}`, "Could not change the role.")}
                  >
                    {assignable(m.role).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Badge tone={m.role === "owner" ? "amber" : "gray"}>{m.role}</Badge>
                )}
                {canManage && m.userId !== me && (m.role !== "owner" || isOwner) && (
                  <Button size="sm" variant="secondary" onClick={() => run(() => callManageApi("DELETE", `${base}/members/${m.userId}`), `${m.email} removed`, "Could not remove the member.")}>
                    Remove
                  </Button>
                )}
                {m.userId === me && <span className="text-xs text-slate-500">you</span>}
              </span>
            </li>
          ))}
        </ul>
      </Card>

      <Card title="Invitations" description="Invitation links are single use and valid for 7 days; only the invited address can accept.">
        <DeniedNote id="members-denied" reason={denied} className="mb-4" />
        {(
          <form onSubmit={invite} aria-describedby={denied ? "members-denied" : undefined} className="mb-4">
            <fieldset disabled={!canManage} className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <Field label="Email" error={inviteError} className="flex-1">
              <Input type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} required placeholder="colleague@example.com" />
            </Field>
            <Field label="Role">
              <Select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="viewer">viewer</option>
                <option value="developer">developer</option>
                <option value="admin">admin</option>
              </Select>
            </Field>
            <Button type="submit" loading={busy} className="sm:mt-6" title={denied ?? undefined}>
              Send invitation
            </Button>
            </fieldset>
          </form>
        )}
        {invitations.length === 0 ? (
          <p className="text-sm text-slate-500">No pending invitations.</p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Pending invitations">
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span className="min-w-0 truncate">
                  {i.email} <Badge>{i.role}</Badge> <span className="text-xs text-slate-500">expires {formatDate(i.expiresAt)}</span>
                </span>
                {canManage && (
                  <span className="flex gap-2">
                    <Button size="sm" variant="secondary" onClick={() => run(() => callManageApi("POST", `${base}/invitations/${i.id}/resend`), `Invitation sent again to ${i.email}`, "Could not resend.")}>
                      Resend
                    </Button>
                    <Button size="sm" variant="secondary" onClick={() => run(() => callManageApi("DELETE", `${base}/invitations/${i.id}`), `Invitation to ${i.email} revoked`, "Could not revoke.")}>
                      Revoke
                    </Button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Danger zone" className="border-red-200">
        <div className="space-y-4">
          {!ownPersonal && (
            <div className="flex flex-wrap items-center justify-between gap-4">
              <p className="max-w-xl text-sm text-slate-600">Leave this team. A team always keeps at least one owner: make someone else owner first if you are the last one.</p>
              <Button variant="danger" onClick={() => setConfirm("leave")}>
                Leave team
              </Button>
            </div>
          )}
          {isOwner && !team.personal && (
            <div className="flex flex-wrap items-center justify-between gap-4">
              <p className="max-w-xl text-sm text-slate-600">Delete this team. Its projects must be deleted first.</p>
              <Button variant="danger" onClick={() => setConfirm("delete")}>
                Delete team
              </Button>
            </div>
          )}
          {ownPersonal && <p className="text-sm text-slate-600">This is your personal team: it cannot be left or deleted.</p>}
        </div>
      </Card>
      <ConfirmDialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          const leaving = confirm === "leave";
          await callManageApi("DELETE", leaving ? `${base}/members/${me}` : base).catch((error: unknown) => {
            toast.error(problemMessage(error, leaving ? "Could not leave the team." : "Could not delete the team."));
            throw error;
          });
          toast.success(leaving ? `You left ${team.name}` : `Team ${team.name} deleted`);
          chooseTeam("");
          router.push("/dashboard");
          router.refresh();
        }}
        title={confirm === "delete" ? "Delete team?" : "Leave team?"}
        description={confirm === "delete" ? "The team and its pending invitations are deleted." : "You lose access to the team's projects and keys."}
        confirmLabel={confirm === "delete" ? "Delete team" : "Leave team"}
      />
    </div>
  );
}
