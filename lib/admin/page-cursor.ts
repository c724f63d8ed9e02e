// Offset cursors for admin lists: opaque to clients, a plain offset inside.
import { z } from "zod";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "must be a cursor returned by a previous page")
    .optional(),
};

export type Page<T> = { data: T[]; nextCursor: string | null };

/** Fetch limit + 1 rows from the offset; this turns them into a page. */
export function toPage<T>(rows: T[], offset: number, limit: number): Page<T> {
  return { data: rows.slice(0, limit), nextCursor: rows.length > limit ? String(offset + limit) : null };
}

/** Escapes LIKE wildcards so a search for "50%" matches literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
