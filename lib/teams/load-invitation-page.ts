// For the invitation page: what the link invites to, and who is signed in (only the invited address may accept).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { previewInvitation } from "./accept-invitation";

export async function loadInvitationPage(token: string) {
  const user = await requireUser();
  const invitation = await previewInvitation(await getDb(), { token });
  return { invitation, email: user.email };
}
