// The one way to send mail: store it in the outbox, in the caller's transaction, so a mail exists
// exactly when the change that caused it was committed. The mail worker delivers it later.
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { mailOutbox } from "../db/schema";

export type OutgoingMail = {
  to: string;
  subject: string;
  /** Plain-text body; always present so every client can read the mail. */
  text: string;
  html?: string;
  /** What the mail is about (e.g. "verify_email", "key.leaked"), for logs and tests. */
  kind: string;
};

/** Accepts the app's Db or a transaction from db.transaction(). */
type DbOrTx = Pick<Db, "insert">;

export async function enqueueMail(db: DbOrTx, mail: OutgoingMail): Promise<void> {
  await db.insert(mailOutbox).values({
    id: newId("mail"),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? null,
    kind: mail.kind,
  });
}
