// For pages: the request log of one of the signed-in user's projects (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { isApiError } from "../http/errors";
import { validate } from "../http/parse";
import { sessionActor } from "../teams/authorize";
import { listRequests, requestSearchSchema, type RequestLogPage, type RequestSearch } from "./list-requests";

/** The page's "Since" choices: a shorthand for `from` (links from the usage charts carry exact from/to instead). */
export const SINCE: Record<string, number> = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000 };

export type MyRequestSearch = { search: RequestSearch | null; page: RequestLogPage | null; problem: string | null };

/** Parses the page's query string (a bad filter is shown, not thrown) and runs the search. */
export async function listMyRequests(projectId: string, query: Record<string, string | string[] | undefined>): Promise<MyRequestSearch> {
  const user = await requireUser();
  const { since, ...rest } = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const flat = since && Object.hasOwn(SINCE, since) ? { ...rest, from: new Date(Date.now() - SINCE[since]).toISOString() } : rest;
  let search: RequestSearch;
  try {
    search = validate(requestSearchSchema, flat, "Query string");
  } catch (error) {
    if (!isApiError(error)) throw error;
    return { search: null, page: null, problem: error.options.errors?.map((e) => `${e.path}: ${e.message}`).join("; ") ?? error.detail };
  }
  const page = await listRequests(await getDb(), { projectId, member: sessionActor(user), search });
  return { search, page, problem: null };
}
