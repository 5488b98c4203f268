import path from "node:path";
import { defineConfig } from "vitest/config";
import { testEnv } from "./tests/support/test-env.ts";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "appliance/test/**/*.test.ts"],
          env: { ...testEnv },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.int.test.ts"],
          env: { ...testEnv },
          globalSetup: ["tests/support/global-setup.ts", "tests/support/samba-dc/global-setup.ts"],
          // One database for the run: files run one at a time; tests inside use unique names.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
