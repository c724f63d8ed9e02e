// Save-time URL policy as an API answer: a refused URL is 422 naming the field.
import { env } from "../env";
import { ApiError } from "../http/errors";
import { SsrfError, assertWebhookUrlAllowed } from "./ssrf-guard";

export async function checkWebhookUrl(url: string, allowPrivate = env().WEBHOOK_ALLOW_PRIVATE): Promise<string> {
  try {
    return (await assertWebhookUrlAllowed(url, { allowPrivate })).toString();
  } catch (error) {
    if (!(error instanceof SsrfError)) throw error;
    throw new ApiError("validation_failed", `Request body failed validation: url: ${error.message}`, { errors: [{ path: "url", message: error.message }] });
  }
}
