// Vitest global setup for integration tests: one fresh database and one Redis key prefix per run.
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { createTestDatabase, dropTestDatabase, uniqueSuffix } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const databaseUrl = await createTestDatabase("it");
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisPrefix", `keyport-test:${uniqueSuffix()}`);
  return async () => {
    await dropTestDatabase(databaseUrl);
  };
}
