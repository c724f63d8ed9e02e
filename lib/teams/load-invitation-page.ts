// For the invitation page: what the link invites to (and who sent it), and who is signed in, if anyone (only the
// invited address may accept; someone signed out is offered an account for that address).
import "server-only";
import { getCurrentUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { previewInvitation } from "./accept-invitation";

export async function loadInvitationPage(token: string) {
  const user = await getCurrentUser();
  const invitation = await previewInvitation(await getDb(), { token });
  return { invitation, email: user?.email ?? null };
}
