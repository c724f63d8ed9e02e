// The events outbox: an event row is written in the SAME transaction as the change that caused it, so an event
// exists exactly when the change was committed. The events worker fans it out later (webhook deliveries,
// notifications, mail). Named emit-event so it is never confused with the audit log's recordEvent.
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { events, type ApiKey } from "../db/schema";
import type { EventType } from "./event-types";
import { signalWork } from "./work-signal";

/** Accepts the app's Db or a transaction from db.transaction(). */
type DbOrTx = Pick<Db, "insert" | "execute">;

export type EmitEventInput = {
  projectId: string;
  type: EventType;
  data: Record<string, unknown>;
  now?: Date;
};

export async function emitEvent(db: DbOrTx, input: EmitEventInput): Promise<string> {
  const id = newId("evt");
  await db.insert(events).values({ id, projectId: input.projectId, type: input.type, data: input.data, createdAt: input.now ?? new Date() });
  // Delivered at commit: the events worker of every instance wakes at once instead of at its next poll.
  await signalWork(db, "events");
  return id;
}

/** The key as events describe it: identifying fields only, never a secret or its hash. */
export function keyEventData(key: Pick<ApiKey, "id" | "projectId" | "name" | "environment" | "expiresAt">) {
  return {
    id: key.id,
    projectId: key.projectId,
    name: key.name,
    environment: key.environment,
    expiresAt: key.expiresAt ? key.expiresAt.toISOString() : null,
  };
}
