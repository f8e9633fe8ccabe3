/**
 * Configuration, parsed once with zod in each runtime entry (environment variables on Node, bindings on
 * Workers) and passed in; nothing else reads `process.env` or bindings. A bad value stops start-up
 * with a message naming the variable.
 */
import { z } from "zod";
import { DEFAULT_LIMITS, type IngestLimits } from "./ingest/types.ts";
import { API_KEY_PATTERN } from "./store/api-keys.ts";

/** What the app itself needs, whichever runtime it runs on. */
export interface AppConfig {
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes: number;
  /** Bounds handed to ingest for every upload. */
  limits: IngestLimits;
  /** Outbound webhook deliveries (issue 5). */
  webhooks: WebhookConfig;
  /**
   * `KUBEGUARD_SECRET_KEY`: when set, webhook secrets (inbound hooks, outbound endpoints) are stored
   * encrypted with a key derived from it (src/webhooks/secret-box.ts).
   */
  secretKey?: string;
  /** `KUBEGUARD_PUBLIC_URL`: the service's external URL (admission configuration, links in webhook payloads). */
  publicUrl?: string;
  /**
   * `KUBEGUARD_PLATFORM_TOKEN`: the platform operator's bearer token for `/v1/admin/*`. Absent, the
   * admin API is off and every `/v1/admin` route answers 404.
   */
  platformToken?: string;
  /** Deployment defaults of the per-tenant limits (issue 5). */
  tenancy: TenancyConfig;
}

/** Defaults for tenants whose limits the platform operator did not set (`PATCH /v1/admin/tenants/{id}`). */
export interface TenancyConfig {
  /** `KUBEGUARD_DEFAULT_RPM`: requests per minute per API key (default 600). */
  requestsPerMinute: number;
  /** `KUBEGUARD_DEFAULT_SCANS_PER_DAY`: scans (stored or evaluated) per UTC day per API key (default 10000). */
  scansPerDay: number;
  /** `KUBEGUARD_DEFAULT_RETENTION_DAYS`: scans older than this are deleted; 0 (default) keeps them. */
  retentionDays: number;
  /** `KUBEGUARD_DEFAULT_RETENTION_MAX_SCANS`: scans beyond the newest this many are deleted; 0 (default) keeps them. */
  retentionMaxScans: number;
}

/** Where outbound webhooks may go and how long a delivery may take. */
export interface WebhookConfig {
  /** `KUBEGUARD_WEBHOOK_ALLOW_HTTP`: accept `http:` endpoint URLs (local development only). */
  allowHttp: boolean;
  /** `KUBEGUARD_WEBHOOK_ALLOW_PRIVATE`: accept loopback, private and internal hosts (local development, tests). */
  allowPrivate: boolean;
  /** `KUBEGUARD_WEBHOOK_TIMEOUT_MS`: one delivery attempt is abandoned after this long (default 5000). */
  timeoutMs: number;
}

export interface NodeConfig {
  port: number;
  /** Interface to listen on; undefined listens on every interface. */
  host?: string;
  databaseUrl: string;
  databaseAuthToken?: string;
  bootstrapKey?: string;
  /** `KUBEGUARD_SCHEDULE_INTERVAL_SECONDS`: how often the scheduled clean-up runs (default 600). */
  scheduleIntervalMs: number;
  /**
   * `KUBEGUARD_RATE_LIMIT_FLUSH_MS`: how long rate-limit counts stay in this process before they are
   * written to the database (default 100; 0 writes on every request). See src/ratelimit/batched.ts.
   */
  rateLimitFlushMs: number;
  app: AppConfig;
}

export interface WorkerConfig {
  bootstrapKey?: string;
  app: AppConfig;
}

/** A configuration error: its message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Unset and empty are the same: `FOO=` in a compose file or a CI variable left blank means "default". */
const blankIsUnset = (v: unknown) => (v === "" ? undefined : v);
/** Workers `[vars]` may be numbers; environment variables are strings. */
const numberText = (v: unknown) => (v === "" ? undefined : typeof v === "number" ? String(v) : v);

const positiveInt = (max: number) =>
  z.preprocess(
    numberText,
    z
      .string()
      .regex(/^[0-9]+$/, { message: "must be a whole number" })
      .transform(Number)
      .pipe(z.number().int().min(1).max(max))
      .optional(),
  );

const optionalString = z.preprocess(blankIsUnset, z.string().optional());

const bootstrapKey = z.preprocess(
  blankIsUnset,
  z
    .string()
    .regex(API_KEY_PATTERN, { message: "must be kg_ followed by at least 32 characters of [A-Za-z0-9]" })
    .optional(),
);

/** `true`/`false` (also `1`/`0`, `yes`/`no`); unset is false. */
const flag = z.preprocess(
  (v) => (v === "" ? undefined : typeof v === "boolean" ? String(v) : v),
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
    .transform((v) => v === "true" || v === "1" || v === "yes")
    .optional(),
);

const integrationsShape = {
  KUBEGUARD_WEBHOOK_ALLOW_HTTP: flag,
  KUBEGUARD_WEBHOOK_ALLOW_PRIVATE: flag,
  KUBEGUARD_WEBHOOK_TIMEOUT_MS: positiveInt(60_000),
  KUBEGUARD_SECRET_KEY: z.preprocess(
    blankIsUnset,
    z.string().min(32, { message: "must be at least 32 characters" }).optional(),
  ),
  KUBEGUARD_PUBLIC_URL: z.preprocess(
    blankIsUnset,
    z
      .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
      .transform((u) => u.replace(/\/+$/, ""))
      .optional(),
  ),
};

/** Like {@link positiveInt}, but 0 is allowed (it means "off"). */
const nonNegativeInt = (max: number) =>
  z.preprocess(
    numberText,
    z
      .string()
      .regex(/^[0-9]+$/, { message: "must be a whole number" })
      .transform(Number)
      .pipe(z.number().int().min(0).max(max))
      .optional(),
  );

const tenancyShape = {
  KUBEGUARD_PLATFORM_TOKEN: z.preprocess(
    blankIsUnset,
    z
      .string()
      .min(32, { message: "must be at least 32 characters (for example `openssl rand -base64 32`)" })
      .regex(/^[\x21-\x7e]+$/, { message: "must be visible ASCII characters without spaces" })
      .optional(),
  ),
  KUBEGUARD_DEFAULT_RPM: positiveInt(1_000_000_000),
  KUBEGUARD_DEFAULT_SCANS_PER_DAY: positiveInt(1_000_000_000),
  KUBEGUARD_DEFAULT_RETENTION_DAYS: nonNegativeInt(1_000_000),
  KUBEGUARD_DEFAULT_RETENTION_MAX_SCANS: nonNegativeInt(1_000_000_000),
};

const limitsShape = {
  KUBEGUARD_MAX_BODY_BYTES: positiveInt(1024 * 1024 * 1024),
  KUBEGUARD_MAX_DOCUMENTS: positiveInt(10_000_000),
  KUBEGUARD_MAX_ALIASES: positiveInt(1_000_000),
  KUBEGUARD_MAX_DEPTH: positiveInt(10_000),
};

const nodeEnvSchema = z.object({
  PORT: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^[0-9]+$/, { message: "must be a port number" })
      .transform(Number)
      .pipe(z.number().int().min(0).max(65_535))
      .default(8787),
  ),
  HOST: optionalString,
  DATABASE_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((u) => u === ":memory:" || /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/.test(u), {
        message: "must be a file: path, :memory:, or a libsql://, http(s):// or ws(s):// URL",
      })
      .default("file:./data/kubeguard.db"),
  ),
  DATABASE_AUTH_TOKEN: optionalString,
  KUBEGUARD_BOOTSTRAP_KEY: bootstrapKey,
  ...limitsShape,
  ...integrationsShape,
  ...tenancyShape,
  KUBEGUARD_SCHEDULE_INTERVAL_SECONDS: positiveInt(86_400),
  KUBEGUARD_RATE_LIMIT_FLUSH_MS: nonNegativeInt(60_000),
});

const workerEnvSchema = z.object({
  KUBEGUARD_BOOTSTRAP_KEY: bootstrapKey,
  ...limitsShape,
  ...integrationsShape,
  ...tenancyShape,
});

type LimitsEnv = { [K in keyof typeof limitsShape]?: number | undefined };
type IntegrationsEnv = {
  KUBEGUARD_WEBHOOK_ALLOW_HTTP?: boolean | undefined;
  KUBEGUARD_WEBHOOK_ALLOW_PRIVATE?: boolean | undefined;
  KUBEGUARD_WEBHOOK_TIMEOUT_MS?: number | undefined;
  KUBEGUARD_SECRET_KEY?: string | undefined;
  KUBEGUARD_PUBLIC_URL?: string | undefined;
};

type TenancyEnv = {
  KUBEGUARD_PLATFORM_TOKEN?: string | undefined;
  KUBEGUARD_DEFAULT_RPM?: number | undefined;
  KUBEGUARD_DEFAULT_SCANS_PER_DAY?: number | undefined;
  KUBEGUARD_DEFAULT_RETENTION_DAYS?: number | undefined;
  KUBEGUARD_DEFAULT_RETENTION_MAX_SCANS?: number | undefined;
};

/** How long the Node server keeps rate-limit counts before writing them (ms). */
const DEFAULT_RATE_LIMIT_FLUSH_MS = 100;

/** Deployment defaults of the tenant limits: 600 requests a minute, 10000 scans a day, retention off. */
export const DEFAULT_TENANCY: TenancyConfig = {
  requestsPerMinute: 600,
  scansPerDay: 10_000,
  retentionDays: 0,
  retentionMaxScans: 0,
};

function appConfig(env: LimitsEnv & IntegrationsEnv & TenancyEnv): AppConfig {
  const maxBodyBytes = env.KUBEGUARD_MAX_BODY_BYTES ?? DEFAULT_LIMITS.maxBytes;
  return {
    maxBodyBytes,
    limits: {
      maxBytes: maxBodyBytes,
      maxDocuments: env.KUBEGUARD_MAX_DOCUMENTS ?? DEFAULT_LIMITS.maxDocuments,
      maxAliases: env.KUBEGUARD_MAX_ALIASES ?? DEFAULT_LIMITS.maxAliases,
      maxDepth: env.KUBEGUARD_MAX_DEPTH ?? DEFAULT_LIMITS.maxDepth,
    },
    webhooks: {
      allowHttp: env.KUBEGUARD_WEBHOOK_ALLOW_HTTP ?? false,
      allowPrivate: env.KUBEGUARD_WEBHOOK_ALLOW_PRIVATE ?? false,
      timeoutMs: env.KUBEGUARD_WEBHOOK_TIMEOUT_MS ?? 5000,
    },
    ...(env.KUBEGUARD_SECRET_KEY ? { secretKey: env.KUBEGUARD_SECRET_KEY } : {}),
    ...(env.KUBEGUARD_PUBLIC_URL ? { publicUrl: env.KUBEGUARD_PUBLIC_URL } : {}),
    ...(env.KUBEGUARD_PLATFORM_TOKEN ? { platformToken: env.KUBEGUARD_PLATFORM_TOKEN } : {}),
    tenancy: {
      requestsPerMinute: env.KUBEGUARD_DEFAULT_RPM ?? DEFAULT_TENANCY.requestsPerMinute,
      scansPerDay: env.KUBEGUARD_DEFAULT_SCANS_PER_DAY ?? DEFAULT_TENANCY.scansPerDay,
      retentionDays: env.KUBEGUARD_DEFAULT_RETENTION_DAYS ?? DEFAULT_TENANCY.retentionDays,
      retentionMaxScans: env.KUBEGUARD_DEFAULT_RETENTION_MAX_SCANS ?? DEFAULT_TENANCY.retentionMaxScans,
    },
  };
}

function issuesOf(error: z.ZodError): string[] {
  // Never echo the value: a mistyped bootstrap key is still a secret.
  return error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`);
}

/** The default app configuration (10 MB bodies, ingest's default bounds). */
export const DEFAULT_APP_CONFIG: AppConfig = appConfig({
  KUBEGUARD_MAX_BODY_BYTES: undefined,
  KUBEGUARD_MAX_DOCUMENTS: undefined,
  KUBEGUARD_MAX_ALIASES: undefined,
  KUBEGUARD_MAX_DEPTH: undefined,
});

/**
 * Parses the Node server's environment.
 * @throws {ConfigError} naming every variable with a bad value
 * @example loadNodeConfig(process.env).port // 8787
 */
export function loadNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  const parsed = nodeEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error));
  const e = parsed.data;
  return {
    port: e.PORT,
    ...(e.HOST ? { host: e.HOST } : {}),
    databaseUrl: e.DATABASE_URL,
    ...(e.DATABASE_AUTH_TOKEN ? { databaseAuthToken: e.DATABASE_AUTH_TOKEN } : {}),
    ...(e.KUBEGUARD_BOOTSTRAP_KEY ? { bootstrapKey: e.KUBEGUARD_BOOTSTRAP_KEY } : {}),
    scheduleIntervalMs: (e.KUBEGUARD_SCHEDULE_INTERVAL_SECONDS ?? 600) * 1000,
    rateLimitFlushMs: e.KUBEGUARD_RATE_LIMIT_FLUSH_MS ?? DEFAULT_RATE_LIMIT_FLUSH_MS,
    app: appConfig(e),
  };
}

/**
 * Parses the Worker's string bindings (vars and secrets); other bindings (D1) are ignored here.
 * @throws {ConfigError} naming every binding with a bad value
 */
export function loadWorkerConfig(env: Record<string, unknown>): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error));
  const e = parsed.data;
  return {
    ...(e.KUBEGUARD_BOOTSTRAP_KEY ? { bootstrapKey: e.KUBEGUARD_BOOTSTRAP_KEY } : {}),
    app: appConfig(e),
  };
}
