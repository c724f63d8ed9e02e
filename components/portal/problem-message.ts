// What a portal form shows when a management API call fails: the first field error, else the problem's detail.
import { ManageApiError } from "@/components/keys/api-client";

export function problemMessage(error: unknown, fallback: string): string {
  if (!(error instanceof ManageApiError)) return "Network error. Check your connection and try again.";
  return error.problem.errors?.[0]?.message ?? error.problem.detail ?? fallback;
}
