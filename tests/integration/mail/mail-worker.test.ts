// The mail outbox against real PostgreSQL and a real SMTP server in this process: delivery, retries with backoff,
// a crash between claim and send, two workers sharing one outbox, and the .eml fallback without SMTP.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { mailOutbox } from "../../../lib/db/schema";
import { claimDueMail, deliverDueMail } from "../../../lib/mail/deliver-mail";
import { enqueueMail } from "../../../lib/mail/enqueue-mail";
import { startMailWorker } from "../../../lib/mail/mail-worker";
import { createTransport } from "../../../lib/mail/transport";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { startSmtpSink, type SmtpSink } from "../../support/smtp-sink";

const FROM = "Keyport Test <no-reply@keyport.test>";
let url: string;
let database: Database;
let sink: SmtpSink;

beforeAll(async () => {
  // Its own database: app servers of other test files run mail workers that would claim these rows.
  url = await createTestDatabase("mail");
  database = await openTestDatabase(url);
  sink = await startSmtpSink();
});

afterAll(async () => {
  await sink?.close();
  await database?.close();
  if (url) await dropTestDatabase(url);
});

beforeEach(async () => {
  sink.failWith(null);
  sink.mails.length = 0;
  await database.db.delete(mailOutbox);
});

const smtp = () => createTransport({ smtpUrl: sink.url, from: FROM, dataDir: tmpdir() });
const mail = (n: number) => ({ to: `user${n}@example.test`, subject: `Hello ${n}`, text: `Plain ${n} https://portal.test/x?token=${n}`, html: `<p>Html ${n}</p>`, kind: "test" });

describe("the mail outbox", () => {
  it("sends plain-text and HTML bodies from MAIL_FROM, inside the caller's transaction only once committed", async () => {
    await database.db.transaction(async (tx) => {
      await enqueueMail(tx, mail(1));
      tx.rollback();
    }).catch(() => {});
    await database.db.transaction(async (tx) => enqueueMail(tx, mail(2)));
    const result = await deliverDueMail(database.db, smtp());
    expect(result).toEqual({ claimed: 1, sent: 1, failed: 0 });
    expect(sink.mails).toHaveLength(1);
    expect(sink.mails[0]).toMatchObject({ to: "user2@example.test", subject: "Hello 2", kind: "test" });
    expect(sink.mails[0].from).toMatch(/Keyport Test"? <no-reply@keyport\.test>/);
    expect(sink.mails[0].text).toContain("Plain 2");
    expect(sink.mails[0].html).toContain("<p>Html 2</p>");
    const [row] = await database.db.select().from(mailOutbox);
    expect(row.status).toBe("sent");
    expect(row.sentAt).not.toBeNull();
  });

  it("retries a refused mail with exponential backoff and sends it once the server accepts", async () => {
    await enqueueMail(database.db, mail(3));
    sink.failWith("mailbox busy");
    expect(await deliverDueMail(database.db, smtp())).toMatchObject({ claimed: 1, failed: 1 });
    let [row] = await database.db.select().from(mailOutbox);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toMatch(/mailbox busy/);
    const wait1 = row.nextAttemptAt.getTime() - Date.now();
    expect(wait1).toBeGreaterThan(5_000);
    // Not due yet: nothing is claimed.
    expect((await deliverDueMail(database.db, smtp())).claimed).toBe(0);
    await database.db.update(mailOutbox).set({ nextAttemptAt: sql`now()` });
    expect(await deliverDueMail(database.db, smtp())).toMatchObject({ failed: 1 });
    [row] = await database.db.select().from(mailOutbox);
    expect(row.attempts).toBe(2);
    // The second wait is about twice the first.
    expect(row.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(wait1 * 1.6);
    sink.failWith(null);
    await database.db.update(mailOutbox).set({ nextAttemptAt: sql`now()` });
    expect(await deliverDueMail(database.db, smtp())).toMatchObject({ sent: 1 });
    expect(sink.mails.map((m) => m.subject)).toEqual(["Hello 3"]);
  });

  it("never loses a mail whose sender died between claiming and sending", async () => {
    await enqueueMail(database.db, mail(4));
    const claimed = await claimDueMail(database.db, 10);
    expect(claimed).toHaveLength(1);
    // The process "dies" here. While the lease runs, nobody else sends it twice…
    expect((await deliverDueMail(database.db, smtp())).claimed).toBe(0);
    // …and once the lease is over, a restarted worker does.
    await database.db.update(mailOutbox).set({ nextAttemptAt: sql`now()` }).where(eq(mailOutbox.id, claimed[0].id));
    const worker = startMailWorker({ db: async () => database.db, transport: smtp(), pollMs: 50 });
    await sink.waitFor((m) => m.subject === "Hello 4");
    await worker.stop();
    expect(sink.mails).toHaveLength(1);
  });

  it("lets two workers share one outbox: every mail sent exactly once", async () => {
    const second = await openTestDatabase(url);
    try {
      await database.db.transaction(async (tx) => {
        for (let n = 0; n < 40; n++) await enqueueMail(tx, mail(100 + n));
      });
      const a = startMailWorker({ db: async () => database.db, transport: smtp(), pollMs: 20, batchSize: 3 });
      const b = startMailWorker({ db: async () => second.db, transport: smtp(), pollMs: 20, batchSize: 3 });
      const deadline = Date.now() + 30_000;
      while (sink.mails.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await Promise.all([a.stop(), b.stop()]);
      expect(sink.mails).toHaveLength(40);
      expect(new Set(sink.mails.map((m) => m.messageId)).size).toBe(40);
      const [{ pending }] = await database.db.select({ pending: sql<number>`count(*)::int` }).from(mailOutbox).where(eq(mailOutbox.status, "pending"));
      expect(pending).toBe(0);
    } finally {
      await second.close();
    }
  });

  it("stops cleanly: stop() waits for the mail being sent", async () => {
    await enqueueMail(database.db, mail(5));
    const real = smtp();
    let started = false;
    const slow = { ...real, send: async (m: Parameters<typeof real.send>[0]) => {
      started = true;
      await new Promise((r) => setTimeout(r, 400));
      await real.send(m);
    } };
    const worker = startMailWorker({ db: async () => database.db, transport: slow, pollMs: 10_000 });
    while (!started) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    const [row] = await database.db.select().from(mailOutbox);
    expect(row.status).toBe("sent");
    expect(sink.mails).toHaveLength(1);
  });

  it("without SMTP writes each mail as an .eml file in DATA_DIR/outbox", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "keyport-mail-"));
    try {
      await enqueueMail(database.db, mail(6));
      const transport = createTransport({ from: FROM, dataDir });
      expect(transport.kind).toBe("file");
      expect(await deliverDueMail(database.db, transport)).toMatchObject({ sent: 1 });
      const files = await readdir(path.join(dataDir, "outbox"));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const eml = await readFile(path.join(dataDir, "outbox", files[0]), "utf8");
      expect(eml).toMatch(/^From: Keyport Test <no-reply@keyport\.test>$/m);
      expect(eml).toMatch(/^To: user6@example\.test$/m);
      expect(eml).toContain("https://portal.test/x?token=6");
      expect(eml).toContain("text/html");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
