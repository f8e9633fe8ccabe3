/**
 * The workerd test project (test/worker/): runs src/worker.ts inside workerd with a local D1 database
 * that test/worker/setup.ts migrates from migrations/, exactly as `wrangler d1 migrations apply` would.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

/** The admin key the worker bootstraps the tenant `default` with in these tests. */
export const WORKER_TEST_KEY = `kg_${"W0rkerD1".repeat(5)}`;

/** The platform token that turns the admin API on in these tests. */
export const WORKER_PLATFORM_TOKEN = `pt_${"Pl4tf0rmD1".repeat(4)}`;

export default defineProject({
  plugins: [
    cloudflareTest(async () => ({
      main: "./src/worker.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          KUBEGUARD_BOOTSTRAP_KEY: WORKER_TEST_KEY,
          KUBEGUARD_PLATFORM_TOKEN: WORKER_PLATFORM_TOKEN,
          TEST_MIGRATIONS: await readD1Migrations(new URL("./migrations", import.meta.url).pathname),
        },
      },
    })),
  ],
  test: {
    name: "workers",
    include: ["test/worker/**/*.test.ts"],
    setupFiles: ["./test/worker/setup.ts"],
    testTimeout: 30_000,
  },
});
