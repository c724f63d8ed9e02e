import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema and committed; they are applied by lib/db/migrate.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
