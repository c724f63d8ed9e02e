import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", ".data/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts", ".next-*/**"] },
  {
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env.ts." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The one module that reads the environment, and tooling configs that run outside the app.
    files: ["lib/env.ts", "next.config.ts", "playwright.config.ts", "vitest.config.ts", "tests/**", "e2e/**", "scripts/**"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
