import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(__dirname), "server-only": path.resolve(__dirname, "tests/support/server-only.ts") };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Three files at once on two cores: many spend much of their time waiting (timeouts, leases, drains), and a
          // third fills those gaps; more would starve the CPU-heavy ones (each starts production servers).
          maxWorkers: 3,
        },
      },
    ],
  },
});
