// Key scopes are the catalog's plus every registered API's (CONTRACT §13): anything else is refused with 422.
import type { Db } from "../db/client";
import { ApiError } from "../http/errors";
import { listKnownScopes } from "../apis/list-apis";

export async function assertKnownScopes(db: Pick<Db, "select">, scopes: readonly string[] | undefined): Promise<void> {
  if (!scopes || scopes.length === 0) return;
  const known = new Set(await listKnownScopes(db));
  const i = scopes.findIndex((s) => !known.has(s));
  if (i >= 0) {
    const message = `${scopes[i]} is not a scope of the catalog or of any registered API`;
    throw new ApiError("validation_failed", `Request body failed validation: scopes.${i}: ${message}`, { errors: [{ path: `scopes.${i}`, message }] });
  }
}
