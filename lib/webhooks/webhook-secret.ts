// Webhook signing secrets in the Standard Webhooks form: "whsec_" + base64 of 32 random bytes.
import { randomBytes } from "node:crypto";

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
