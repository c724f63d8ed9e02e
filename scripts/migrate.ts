// npm run db:migrate — applies committed migrations to DATABASE_URL (or the embedded database without it).
import { env } from "../lib/env";
import { openDatabase } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";

async function main() {
  const e = env();
  const database = await openDatabase({ url: e.DATABASE_URL, dataDir: e.DATA_DIR, max: 2 });
  await migrateDatabase(database);
  await database.close();
  console.log(`migrations applied to ${database.kind === "postgres" ? "PostgreSQL" : "embedded PGlite"}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
