import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { teams } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { actorHasSso, authorizeTeam, type Actor } from "./authorize";
import { teamNameSchema } from "./create-team";
import { toTeamJson, type TeamJson } from "./team-json";

export const updateTeamSchema = z.object({ name: teamNameSchema.optional(), requireSso: z.boolean().optional() }).strict();

/**
 * Renames a team (admins and owners); turns team SSO on or off (owners only, and only while the OIDC provider is
 * configured). Turning it on needs the owner's own session (or token) to satisfy it already, so an owner cannot
 * lock the team away from everyone, themselves included.
 */
export async function updateTeam(
  db: Db,
  { user, member, teamId, input, ip }: { user: SessionUser; member: Actor; teamId: string; input: unknown; ip: string | null },
): Promise<TeamJson> {
  const patch = validate(updateTeamSchema, input);
  return db.transaction(async (tx) => {
    const ssoChange = patch.requireSso !== undefined;
    const { team, role } = await authorizeTeam(tx, { actor: member, teamId, action: ssoChange ? "team:owner" : "team:write" });
    const rename = patch.name !== undefined && patch.name !== team.name;
    const sso = ssoChange && patch.requireSso !== team.requireSso;
    if (sso && patch.requireSso) {
      const e = env();
      if (!e.AUTH_OIDC_ISSUER || !e.AUTH_OIDC_ID) {
        throw new ApiError("validation_failed", "Team single sign-on needs the OpenID Connect provider configured (AUTH_OIDC_ISSUER).", {
          errors: [{ path: "requireSso", message: "The OpenID Connect provider is not configured" }],
        });
      }
      if (!(await actorHasSso(tx, member))) {
        throw new ApiError("sso_required", `Sign in with ${e.AUTH_OIDC_NAME} first: the team will need it from now on.`);
      }
    }
    if (!rename && !sso) return toTeamJson(team, role);
    const [row] = await tx
      .update(teams)
      .set({ ...(rename ? { name: patch.name } : {}), ...(sso ? { requireSso: patch.requireSso } : {}), updatedAt: new Date() })
      .where(eq(teams.id, teamId))
      .returning();
    await recordEvent(tx, {
      actor: user,
      action: "team.update",
      target: { type: "team", id: teamId },
      teamId,
      actorRole: role,
      ip,
      metadata: {
        ...(rename ? { name: { from: team.name, to: row.name } } : {}),
        ...(sso ? { requireSso: { from: team.requireSso, to: row.requireSso } } : {}),
      },
    });
    return toTeamJson(row, role);
  });
}
