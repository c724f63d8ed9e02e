// POST /api/secret-scanning/github, the domain side: verify the signature over the raw bytes, then judge each
// reported token. A missing or bad signature changes nothing (401); an unconfigured key file refuses every report.
import { z } from "zod";
import type { Db } from "../db/client";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { logger } from "../log";
import { loadScanningKeys, verifyGithubSignature } from "./github-signature";
import { reportLeakedSecret } from "./report-leaked-secret";

export const GITHUB_REPORT_MAX_BYTES = 1024 * 1024;

const reportSchema = z
  .array(
    z.object({
      token: z.string().max(1000),
      type: z.string().max(200),
      url: z.string().max(4096).optional(),
      source: z.string().max(200).optional(),
    }),
  )
  .max(1000);

export type GithubLabel = { token_hash: string; token_type: string; label: "true_positive" | "false_positive" };

export async function intakeGithubReport(
  db: Db,
  { body, keyId, signature }: { body: Buffer; keyId: string | null; signature: string | null },
): Promise<GithubLabel[]> {
  const path = env().SECRET_SCANNING_PUBLIC_KEYS;
  const unauthorized = () => new ApiError("unauthorized", "Missing or invalid GitHub secret-scanning signature.");
  if (!path) throw unauthorized();
  let keys;
  try {
    keys = await loadScanningKeys(path);
  } catch (error) {
    logger.error({ err: error }, "secret scanning: SECRET_SCANNING_PUBLIC_KEYS could not be read");
    throw unauthorized();
  }
  if (!verifyGithubSignature(keys, { body, keyId, signature })) throw unauthorized();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  const items = validate(reportSchema, parsed);
  const results: GithubLabel[] = [];
  for (const item of items) {
    const outcome = await reportLeakedSecret(db, { secret: item.token, url: item.url ?? null, source: `github:${item.source ?? "unknown"}` });
    results.push({ token_hash: outcome.tokenHash, token_type: item.type, label: outcome.label });
  }
  return results;
}

/** The route's entry: the app's database. */
export async function receiveGithubReport(request: { body: Buffer; keyId: string | null; signature: string | null }): Promise<GithubLabel[]> {
  const { getDb } = await import("../db/client");
  return intakeGithubReport(await getDb(), request);
}
