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
}

export interface NodeConfig {
  port: number;
  /** Interface to listen on; undefined listens on every interface. */
  host?: string;
  databaseUrl: string;
  databaseAuthToken?: string;
  bootstrapKey?: string;
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
});

const workerEnvSchema = z.object({ KUBEGUARD_BOOTSTRAP_KEY: bootstrapKey, ...limitsShape });

type LimitsEnv = { [K in keyof typeof limitsShape]?: number | undefined };

function appConfig(env: LimitsEnv): AppConfig {
  const maxBodyBytes = env.KUBEGUARD_MAX_BODY_BYTES ?? DEFAULT_LIMITS.maxBytes;
  return {
    maxBodyBytes,
    limits: {
      maxBytes: maxBodyBytes,
      maxDocuments: env.KUBEGUARD_MAX_DOCUMENTS ?? DEFAULT_LIMITS.maxDocuments,
      maxAliases: env.KUBEGUARD_MAX_ALIASES ?? DEFAULT_LIMITS.maxAliases,
      maxDepth: env.KUBEGUARD_MAX_DEPTH ?? DEFAULT_LIMITS.maxDepth,
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
