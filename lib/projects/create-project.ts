import { z } from "zod";
import type { Db } from "../db/client";
import { projects, type Project } from "../db/schema";
import { newId } from "../db/ids";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { PROJECT_NAME_MAX } from "./project-json";
import { personalTeamId } from "../teams/ensure-personal-team";

export const projectNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(PROJECT_NAME_MAX, `Name must be at most ${PROJECT_NAME_MAX} characters`);

export const createProjectSchema = z.object({ name: projectNameSchema });

export async function createProject(db: Db, { user, input, ip }: { user: SessionUser; input: unknown; ip: string | null }): Promise<Project> {
  const { name } = validate(createProjectSchema, input);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(projects).values({ id: newId("prj"), ownerId: user.id, teamId: personalTeamId(user.id), name }).returning();
    await recordEvent(tx, { actor: user, action: "project.create", target: { type: "project", id: row.id }, projectId: row.id, ip, metadata: { name } });
    return row;
  });
}
