// Search one project's request log: by request id, key, status (exact or a class such as 4xx), path prefix and time,
// newest first, in keyset pages (rows arrive all the time; an offset would repeat or skip them).
import { and, desc, eq, gte, like, lt, notLike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { apiKeys, requestLog } from "../db/schema";
import { getProject } from "../projects/get-project";
import type { Actor } from "../teams/authorize";

export const REQUEST_LOG_RETENTION_DAYS = 7;

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,19})$/;
const decodeCursor = (cursor: string) => {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) return null;
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? { at: new Date(match[1]), id: Number(match[2]) } : null;
};
const encodeCursor = (at: Date, id: number) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** The query string of GET …/projects/{projectId}/requests (blank fields are ignored, as an HTML form sends them). */
export const requestSearchSchema = z
  .object({
    requestId: optional(z.string().trim().max(200)),
    keyId: optional(z.string().trim().regex(/^key_[A-Za-z0-9]{1,64}$/, "must be a key id (key_…)")),
    status: optional(z.string().trim().regex(/^([1-5]\d\d|[1-5]xx|errors)$/, 'must be a status (404), a class (4xx) or "errors"')),
    path: optional(z.string().trim().max(200).regex(/^\//, "must start with /")),
    /** One API's requests: "catalog" (the built-in /api/v1) or a registered API's slug (its /gw/{slug} calls). */
    api: optional(z.string().trim().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be an API slug")),
    from: optional(z.iso.datetime({ offset: true })),
    to: optional(z.iso.datetime({ offset: true })),
    cursor: optional(z.string().refine((c) => decodeCursor(c) !== null, "must be a cursor returned by a previous page")),
    limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(50)),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), { path: ["from"], message: "must be before to" });

export type RequestSearch = z.infer<typeof requestSearchSchema>;

export type RequestLogJson = {
  id: string;
  at: string;
  requestId: string;
  keyId: string | null;
  keyName: string | null;
  /** "console": made by the docs' try-it console; null when no key is known. */
  keyKind: "standard" | "console" | null;
  method: string;
  path: string;
  status: number;
  code: string | null;
  latencyMs: number;
  ip: string | null;
};

export type RequestLogPage = { data: RequestLogJson[]; nextCursor: string | null; retentionDays: number };

function statusCondition(status: string): SQL {
  if (status === "errors") return or(lt(requestLog.status, 200), gte(requestLog.status, 400))!;
  if (status.endsWith("xx")) {
    const base = Number(status[0]) * 100;
    return and(gte(requestLog.status, base), lt(requestLog.status, base + 100))!;
  }
  return eq(requestLog.status, Number(status));
}

/** LIKE prefix with the pattern characters escaped, so "/api/v1/products_x" matches only itself. */
const prefix = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The request log rows of one API (see apiOfEndpoint): registered APIs by their /gw/{slug} prefix, the catalog by the rest. */
function apiCondition(api: string): SQL {
  if (api === "catalog") return notLike(requestLog.path, "/gw/%");
  return or(eq(requestLog.path, `/gw/${api}`), like(requestLog.path, prefix(`/gw/${api}/`)))!;
}

export async function listRequests(db: Db, options: { projectId: string; member: Actor; search: RequestSearch }): Promise<RequestLogPage> {
  await getProject(db, { projectId: options.projectId, member: options.member });
  const { search } = options;
  const cursor = search.cursor ? decodeCursor(search.cursor) : null;
  const conditions: (SQL | undefined)[] = [
    eq(requestLog.projectId, options.projectId),
    search.requestId ? eq(requestLog.requestId, search.requestId) : undefined,
    search.keyId ? eq(requestLog.keyId, search.keyId) : undefined,
    search.status ? statusCondition(search.status) : undefined,
    search.path ? like(requestLog.path, prefix(search.path)) : undefined,
    search.api ? apiCondition(search.api) : undefined,
    search.from ? gte(requestLog.at, new Date(search.from)) : undefined,
    search.to ? lt(requestLog.at, new Date(search.to)) : undefined,
    cursor ? or(lt(requestLog.at, cursor.at), and(eq(requestLog.at, cursor.at), lt(requestLog.id, cursor.id))) : undefined,
  ];
  const rows = await db
    .select({ log: requestLog, keyName: apiKeys.name, keyKind: apiKeys.kind })
    .from(requestLog)
    .leftJoin(apiKeys, eq(apiKeys.id, requestLog.keyId))
    .where(and(...conditions))
    .orderBy(desc(requestLog.at), desc(requestLog.id))
    .limit(search.limit + 1);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    data: page.map(({ log: r, keyName, keyKind }) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      requestId: r.requestId,
      keyId: r.keyId,
      keyName,
      keyKind,
      method: r.method,
      path: r.path,
      status: r.status,
      code: r.code,
      latencyMs: r.latencyMs,
      ip: r.ip,
    })),
    nextCursor: rows.length > search.limit && last ? encodeCursor(last.log.at, last.log.id) : null,
    retentionDays: REQUEST_LOG_RETENTION_DAYS,
  };
}

