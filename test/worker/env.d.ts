/**
 * The workerd test modules, typed for the root tsconfig (which does not load the Workers types
 * globally, since they clash with the DOM and Node types the rest of the project uses).
 */
declare module "cloudflare:workers" {
  import type { D1Database } from "@cloudflare/workers-types/index.ts";
  export const env: {
    DB: D1Database;
    KUBEGUARD_BOOTSTRAP_KEY: string;
    KUBEGUARD_PLATFORM_TOKEN: string;
    TEST_MIGRATIONS: { name: string; queries: string[] }[];
  };
  export const exports: {
    default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };
  };
}

declare module "cloudflare:test" {
  import type { D1Database } from "@cloudflare/workers-types/index.ts";
  export function createExecutionContext(): { waitUntil(p: Promise<unknown>): void };
  export function waitOnExecutionContext(ctx: { waitUntil(p: Promise<unknown>): void }): Promise<void>;
  export function createScheduledController(options?: { scheduledTime?: Date; cron?: string }): unknown;
  export function applyD1Migrations(
    db: D1Database,
    migrations: { name: string; queries: string[] }[],
  ): Promise<void>;
}
