// The dashboard's calls to the management API: JSON in and out, problem+json errors turned into readable messages.
export type Problem = { status: number; code?: string; detail?: string; errors?: { path: string; message: string }[] };

export class ManageApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? `Request failed (${problem.status})`);
  }
  /** The message for one field, for inline form errors. */
  field(path: string): string | null {
    return this.problem.errors?.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message ?? null;
  }
}

export async function callManageApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/manage/v1${path}`, {
    method,
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ManageApiError({ status: response.status, ...(data as object) });
  return data as T;
}
