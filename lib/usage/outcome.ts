// How a response status counts in usage.
export type Outcome = "success" | "clientErrors" | "rateLimited" | "serverErrors";

export function outcomeOf(status: number): Outcome {
  if (status === 429) return "rateLimited";
  if (status >= 500) return "serverErrors";
  if (status >= 400) return "clientErrors";
  return "success";
}
