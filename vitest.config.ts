/** Vitest: the Node project (unit and API tests) and the workerd project (test/worker/, vitest.workers.config.ts). */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/worker/**", "node_modules/**"],
          testTimeout: 30_000,
          pool: "forks",
        },
      },
      // test/worker/ runs inside workerd with D1 (vitest-pool-workers).
      "./vitest.workers.config.ts",
    ],
  },
});
