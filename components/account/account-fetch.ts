// Calls to the unauthenticated account endpoints (verification, password reset), problem+json errors as messages.
import { ManageApiError } from "@/components/keys/api-client";

export async function postAccountApi<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), cache: "no-store" });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ManageApiError({ status: response.status, ...(data as object) });
  return data as T;
}
