// Where mail goes: SMTP through nodemailer when SMTP_URL is set, otherwise one .eml file per mail under
// DATA_DIR/outbox/ with its links logged, so a zero-config `npm run dev` can still verify and reset accounts.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { logger } from "../log";

export type MailMessage = { id: string; to: string; subject: string; text: string; html: string | null; kind: string };

export type MailTransport = {
  kind: "smtp" | "file";
  send(message: MailMessage): Promise<void>;
  close(): void;
};

export type TransportOptions = { smtpUrl?: string; from: string; dataDir: string };

export function createTransport({ smtpUrl, from, dataDir }: TransportOptions): MailTransport {
  const toMail = (m: MailMessage) => ({
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    // A stable Message-ID per outbox row: a retried send after a crash is recognisable as the same mail.
    messageId: `<${m.id}@keyport>`,
    headers: { "X-Keyport-Mail-Kind": m.kind },
  });

  if (smtpUrl) {
    const smtp = nodemailer.createTransport(smtpUrl);
    return {
      kind: "smtp",
      send: async (m) => {
        await smtp.sendMail(toMail(m));
      },
      close: () => smtp.close(),
    };
  }

  const outbox = path.resolve(dataDir, "outbox");
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    send: async (m) => {
      const info = await composer.sendMail(toMail(m));
      await mkdir(outbox, { recursive: true });
      const file = path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, "-")}-${m.id}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      // Only development setups have no SMTP; the links are what a developer needs from the mail.
      logger.info({ mail: { to: m.to, kind: m.kind, file, links: linksIn(m.text) } }, "mail written to the outbox folder");
    },
    close: () => composer.close(),
  };
}

export const linksIn = (text: string): string[] => text.match(/https?:\/\/[^\s<>"')]+/g) ?? [];
