// The invitation mail: who invites whom to which team, and the single-use link.
import { appUrl } from "../env";
import { enqueueMail } from "../mail/enqueue-mail";
import type { Db } from "../db/client";

export async function enqueueInvitationMail(
  db: Pick<Db, "insert">,
  { to, token, teamName, role, inviter }: { to: string; token: string; teamName: string; role: string; inviter: { email: string; name: string | null } },
): Promise<void> {
  const link = `${appUrl()}/invitations/${token}`;
  const who = inviter.name ? `${inviter.name} (${inviter.email})` : inviter.email;
  await enqueueMail(db, {
    to,
    subject: `You are invited to join ${teamName} on Keyport`,
    text: `${who} invited you to join the team "${teamName}" on Keyport as ${role}.\n\nAccept the invitation (valid for 7 days, single use) while signed in as ${to}:\n${link}\n\nIf you did not expect this, ignore this mail.\n`,
    kind: "team.invitation",
  });
}
