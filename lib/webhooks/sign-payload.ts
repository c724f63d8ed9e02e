// Standard Webhooks signing with the maintained `standardwebhooks` package. During a secret rotation's overlap
// window the previous secret signs too; the signatures go space-separated in one header, as the spec allows, so a
// receiver holding either secret verifies the delivery.
import { Webhook } from "standardwebhooks";

export type SigningSecrets = { secret: string; previousSecret?: string | null; previousSecretExpiresAt?: Date | null };

export function signPayload(secrets: SigningSecrets, { id, timestamp, body }: { id: string; timestamp: Date; body: string }): Record<string, string> {
  const signatures = [new Webhook(secrets.secret).sign(id, timestamp, body)];
  if (secrets.previousSecret && secrets.previousSecretExpiresAt && secrets.previousSecretExpiresAt > timestamp) {
    signatures.push(new Webhook(secrets.previousSecret).sign(id, timestamp, body));
  }
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

/** The delivered body: { type, timestamp, data }. Kept stable per event so a retry sends the same bytes. */
export function eventPayload(event: { type: string; createdAt: Date; data: Record<string, unknown> }): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}
