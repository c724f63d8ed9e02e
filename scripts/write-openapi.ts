// Writes the OpenAPI document of /api/v1 (the one the server serves) to a file, for Redocly and openapi-typescript:
//   tsx scripts/write-openapi.ts <file>
import { writeFileSync } from "node:fs";
import { openApiDocument } from "../lib/catalog/openapi";

const out = process.argv[2];
if (!out) {
  console.error("usage: tsx scripts/write-openapi.ts <file>");
  process.exit(2);
}
writeFileSync(out, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
