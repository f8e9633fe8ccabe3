/**
 * The drizzle schema (SQLite dialect), shared by libSQL and D1. drizzle-kit generates migrations/ from it.
 *
 * Every row carries `tenant_id` and every index leads on it, so a query that forgets the tenant filter
 * cannot use an index and stands out in review. There are no foreign keys on purpose: D1 enforces them
 * while libSQL does not by default, and a drizzle-kit table rebuild (`__new_<table>`) with cascading
 * keys loses child rows on D1 (see STACK.md). The services keep parents and children consistent by
 * writing and deleting them in one batch.
 *
 * Times are integers in milliseconds since the epoch. JSON columns hold text written by the services.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** An organisation. The first start creates the tenant `default`. */
export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  /** Set by the platform operator: the tenant's keys get 403 `tenant-suspended` on every route. */
  suspended: integer("suspended", { mode: "boolean" }).notNull().default(false),
  suspendedAt: integer("suspended_at", { mode: "timestamp_ms" }),
  /** Requests per minute per API key; null means the deployment default (KUBEGUARD_DEFAULT_RPM). */
  requestsPerMinute: integer("requests_per_minute"),
  /** Scans (stored or evaluated) per UTC day per API key; null means KUBEGUARD_DEFAULT_SCANS_PER_DAY. */
  scansPerDay: integer("scans_per_day"),
  /** Scans older than this many days are deleted; null means the default, 0 keeps them forever. */
  retentionDays: integer("retention_days"),
  /** Only the newest this many scans are kept; null means the default, 0 keeps every scan. */
  retentionMaxScans: integer("retention_max_scans"),
});

/**
 * API keys: `kg_` + at least 32 characters of [A-Za-z0-9]. Only a lookup prefix and the SHA-256 of
 * the whole key are stored; the key itself is shown once when it is created.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    /** `kg_` and the next 8 characters: narrows the lookup to a handful of rows before the hash compare. */
    prefix: text("prefix").notNull(),
    /** Lowercase hex SHA-256 of the whole key. */
    hash: text("hash").notNull(),
    /** JSON array of scope names (`["admin"]`). */
    scopes: text("scopes").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** Updated at most once a minute per key, so authentication is not a write per request. */
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("api_keys_tenant_idx").on(t.tenantId, t.createdAt),
    // The one index not leading on tenant_id: authentication finds the tenant from the key.
    index("api_keys_prefix_idx").on(t.prefix),
  ],
);

/**
 * One stored scan. `report` is the scan's JSON report with `resources` and `findings` emptied: those
 * live as rows in scan_resources and findings (D1 caps a row at 2 MB) and are put back in order when
 * the report is rebuilt, so the rebuilt document equals the one the engine produced.
 */
export const scans = sqliteTable(
  "scans",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
    repository: text("repository"),
    branch: text("branch"),
    commit: text("commit"),
    pipelineUrl: text("pipeline_url"),
    /** JSON object of label → value. */
    labels: text("labels"),
    /** The engine version that produced the scan. */
    toolVersion: text("tool_version").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    failOn: text("fail_on").notNull(),
    /** JSON: ScanOptions. */
    options: text("options").notNull(),
    /** JSON: ScanSummary. */
    summary: text("summary").notNull(),
    /** JSON: per-framework scores without their controls (the list view). */
    frameworks: text("frameworks").notNull(),
    /** JSON: the ScanReport with empty `resources` and `findings`. */
    report: text("report").notNull(),
    /** JSON: the tenant settings (`.kubeguard.yaml` schema) the scan ran with; null when none were set. */
    settings: text("settings"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("scans_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("scans_tenant_repository_idx").on(t.tenantId, t.repository, t.createdAt),
  ],
);

/** The resources of a scan's report, in report order. */
export const scanResources = sqliteTable(
  "scan_resources",
  {
    tenantId: text("tenant_id").notNull(),
    scanId: text("scan_id").notNull(),
    ordinal: integer("ordinal").notNull(),
    kind: text("kind").notNull(),
    namespace: text("namespace"),
    name: text("name").notNull(),
    /** JSON: the ResourceReport exactly as in the report. */
    data: text("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.scanId, t.ordinal] })],
);

/** The findings of a scan, in report order, one column per field so they can be filtered. */
export const findings = sqliteTable(
  "findings",
  {
    tenantId: text("tenant_id").notNull(),
    scanId: text("scan_id").notNull(),
    ordinal: integer("ordinal").notNull(),
    /** The finding's stable `id`: check, resource identity and path, never the line. */
    fingerprint: text("fingerprint").notNull(),
    checkId: text("check_id").notNull(),
    severity: text("severity").notNull(),
    /** critical = 4 … info = 0, so `severity >= high` is a range. */
    severityRank: integer("severity_rank").notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    apiVersion: text("api_version").notNull(),
    kind: text("kind").notNull(),
    namespace: text("namespace"),
    name: text("name").notNull(),
    path: text("path").notNull(),
    file: text("file").notNull(),
    line: integer("line").notNull(),
    column: integer("col").notNull(),
    suppressed: integer("suppressed", { mode: "boolean" }).notNull(),
    /** JSON: the Suppression, when suppressed. */
    suppression: text("suppression"),
    pssCheck: text("pss_check"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.scanId, t.ordinal] }),
    index("findings_tenant_scan_severity_idx").on(t.tenantId, t.scanId, t.severityRank),
    index("findings_tenant_fingerprint_idx").on(t.tenantId, t.fingerprint),
  ],
);

/** `Idempotency-Key` of `POST /v1/scans`: the same key and request give the same scan. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id").notNull(),
    key: text("key").notNull(),
    /** Hex SHA-256 of the media type, the scan options and the body. */
    requestHash: text("request_hash").notNull(),
    scanId: text("scan_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    index("idempotency_keys_tenant_scan_idx").on(t.tenantId, t.scanId),
  ],
);

/** Tenant policy settings: one `.kubeguard.yaml`-shaped JSON document per tenant (`PUT /v1/settings`). */
export const tenantSettings = sqliteTable("tenant_settings", {
  tenantId: text("tenant_id").primaryKey(),
  /** JSON: the settings, as validated by `configSchema` (src/scan/config.ts). */
  settings: text("settings").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  /** Key id of the admin who last wrote them, or `platform`. */
  updatedBy: text("updated_by").notNull(),
});

/**
 * The append-only audit log of administrative actions (`GET /v1/audit`). Nothing updates or deletes a
 * row except deleting the whole tenant. `details` never holds a secret.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** The API key id that acted, or `platform` for the platform operator. */
    actor: text("actor").notNull(),
    /** `key.created`, `key.revoked`, `settings.updated`, `tenant.suspended`, `hook.created`, … */
    action: text("action").notNull(),
    /** What the action was on: a key id, `settings`, a tenant id, a hook id, … */
    target: text("target").notNull(),
    /** JSON object with non-secret particulars (names, scopes, changed keys). */
    details: text("details"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("audit_log_tenant_at_idx").on(t.tenantId, t.at, t.id),
  ],
);

/**
 * Rate-limit counters, exactly `RATE_LIMIT_TABLE_SQL` of src/ratelimit/window.ts (one row per limited
 * key and fixed window, incremented by `RATE_LIMIT_UPSERT_SQL`). Not tenant-scoped: the key names the
 * API key it limits. Expired windows are purged by the scheduled clean-up.
 */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export * from "./schema-integrations.ts";
