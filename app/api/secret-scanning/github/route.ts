// POST /api/secret-scanning/github — GitHub secret-scanning partner endpoint: signed batch of found tokens →
// [{ token_hash, token_type, label }]; true positives are revoked (or notified) and announced
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { GITHUB_REPORT_MAX_BYTES, receiveGithubReport } from "@/lib/leaks/intake-github-report";
import { readRawBody } from "@/lib/leaks/read-raw-body";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = route(async (request) => {
  const body = await readRawBody(request, GITHUB_REPORT_MAX_BYTES, { json: true });
  const results = await receiveGithubReport({
    body,
    keyId: request.headers.get("github-public-key-identifier"),
    signature: request.headers.get("github-public-key-signature"),
  });
  return json(results);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
