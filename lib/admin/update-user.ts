// Suspend/unsuspend and promote/demote, by an admin. A suspension reaches the user's next request and their keys'
// next call on every instance through the invalidation bus.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { searchUsers, type AdminUser } from "./search-users";

export const userPatch = z
  .strictObject({ suspended: z.boolean().optional(), role: z.enum(["developer", "admin"]).optional() })
  .refine((p) => p.suspended !== undefined || p.role !== undefined, { message: "send suspended, role or both" });

export type UpdateUserOptions = {
  userId: string;
  patch: z.infer<typeof userPatch>;
  actor: { id: string; email: string };
  ip?: string | null;
  now?: Date;
};

export async function updateUser(db: Db, options: UpdateUserOptions): Promise<AdminUser> {
  const { patch, actor } = options;
  const now = options.now ?? new Date();
  // An admin locking themselves out (or leaving no admin to undo it) is never what they meant.
  if (options.userId === actor.id && (patch.suspended === true || patch.role === "developer")) {
    const path = patch.suspended === true ? "suspended" : "role";
    throw new ApiError("validation_failed", "You cannot suspend or demote your own account.", {
      errors: [{ path, message: "cannot suspend or demote yourself" }],
    });
  }
  const changed = await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, options.userId)).for("update");
    if (!user) throw new ApiError("not_found", "No such user.");
    const set: Partial<typeof users.$inferInsert> = {};
    const events: Parameters<typeof recordEvent>[1][] = [];
    const target = { type: "user", id: user.id };
    if (patch.suspended !== undefined && patch.suspended !== (user.suspendedAt !== null)) {
      set.suspendedAt = patch.suspended ? now : null;
      events.push({ actor, action: patch.suspended ? "user.suspend" : "user.unsuspend", target, ip: options.ip, metadata: { email: user.email } });
    }
    if (patch.role !== undefined && patch.role !== user.role) {
      set.role = patch.role;
      events.push({ actor, action: "user.role_change", target, ip: options.ip, metadata: { email: user.email, from: user.role, to: patch.role } });
    }
    if (events.length === 0) return false;
    await tx.update(users).set({ ...set, updatedAt: now }).where(eq(users.id, user.id));
    for (const event of events) await recordEvent(tx, event);
    return true;
  });
  if (changed) await publishInvalidation(db, { type: "user", userId: options.userId });
  const page = await searchUsers(db, { q: options.userId, limit: 1 });
  return page.data[0];
}
