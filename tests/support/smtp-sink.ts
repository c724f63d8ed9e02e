// A real SMTP server inside the test process (smtp-server), collecting parsed mails, for tests that read what the
// app actually sent.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SinkMail = { to: string; from: string; subject: string; text: string; html: string; messageId: string; kind: string };

export type SmtpSink = {
  url: string;
  mails: SinkMail[];
  /** While set, every DATA command is refused with this SMTP error (to test retries). */
  failWith: (message: string | null) => void;
  /** Resolves with the first mail (already received or arriving) that matches. */
  waitFor: (match: (mail: SinkMail) => boolean, timeoutMs?: number) => Promise<SinkMail>;
  close: () => Promise<void>;
};

const addressText = (a: ParsedMail["to"] | ParsedMail["from"]) => (Array.isArray(a) ? a.map((x) => x.text).join(", ") : (a?.text ?? ""));

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SinkMail[] = [];
  const waiters = new Set<() => void>();
  let failure: string | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (failure) return callback(Object.assign(new Error(failure), { responseCode: 451 }));
          mails.push({
            to: addressText(parsed.to),
            from: addressText(parsed.from),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            messageId: parsed.messageId ?? "",
            kind: String(parsed.headers.get("x-keyport-mail-kind") ?? ""),
          });
          for (const wake of waiters) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    failWith: (message) => {
      failure = message;
    },
    waitFor: (match, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = mails.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms (received ${mails.length})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's text that contains `path`. */
export function linkIn(mail: SinkMail, path: string): URL {
  const link = mail.text.match(/https?:\/\/[^\s<>"')]+/g)?.find((l) => l.includes(path));
  if (!link) throw new Error(`no ${path} link in mail "${mail.subject}"`);
  return new URL(link);
}
