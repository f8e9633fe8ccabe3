/**
 * The drizzle schema of the integrations (issue 5): inbound hooks, outbound webhook endpoints and
 * their deliveries, and admission decisions. Re-exported by schema.ts, so drizzle-kit and the drivers
 * see one schema; the conventions are schema.ts's (tenant_id on every row, no foreign keys, times in
 * milliseconds since the epoch, JSON as text).
 *
 * Two indexes do not lead on tenant_id, on purpose: an inbound hook is found by its id alone (the
 * request carries no tenant; the signature decides), and the retry scheduler looks for due deliveries
 * across all tenants.
 *
 * Secrets (`secret` columns) are what HMAC needs later, so they are stored, sealed with
 * `KUBEGUARD_SECRET_KEY` when configured (src/webhooks/secret-box.ts); they are never returned after
 * creation.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** An inbound hook: other platforms post manifests to `POST /v1/hooks/{id}`, signed with its secret. */
export const inboundHooks = sqliteTable(
  "inbound_hooks",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    description: text("description"),
    /** `whsec_…`, or its sealed form. */
    secret: text("secret").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** When a signed request last created or replayed a scan. */
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("inbound_hooks_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** An outbound webhook endpoint of a tenant. */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    url: text("url").notNull(),
    /** JSON array of event types (`["scan.completed"]`). */
    events: text("events").notNull(),
    /** `standard` or `slack`. */
    format: text("format").notNull(),
    description: text("description"),
    /** `whsec_…`, or its sealed form. */
    secret: text("secret").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("webhook_endpoints_tenant_idx").on(t.tenantId, t.createdAt),
  ],
);

/**
 * One event for one endpoint, with its attempts so far: the delivery log and the retry queue.
 * `pending` rows with `next_attempt_at` in the past are due; an attempt first moves `next_attempt_at`
 * forward (a lease), so two schedulers never send the same attempt.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    /** The `webhook-id` (Standard Webhooks message id), the same on every attempt. */
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    scanId: text("scan_id").notNull(),
    /** JSON: the event's `data` (ScanSummaryPayload), so every attempt sends the same body. */
    payload: text("payload").notNull(),
    /** When the event happened (the payload's `timestamp`). */
    eventAt: integer("event_at", { mode: "timestamp_ms" }).notNull(),
    /** `pending`, `succeeded` or `failed` (given up after the last attempt). */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at", { mode: "timestamp_ms" }),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("webhook_deliveries_tenant_endpoint_idx").on(t.tenantId, t.endpointId, t.createdAt, t.id),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** One admission decision (dry runs are not recorded: the webhook declares `sideEffects: NoneOnDryRun`). */
export const admissionDecisions = sqliteTable(
  "admission_decisions",
  {
    tenantId: text("tenant_id").notNull(),
    id: text("id").notNull(),
    /** The AdmissionReview request uid. */
    uid: text("uid").notNull(),
    /** The API key that asked. */
    keyId: text("key_id").notNull(),
    operation: text("operation").notNull(),
    kind: text("kind").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    username: text("username").notNull(),
    allowed: integer("allowed", { mode: "boolean" }).notNull(),
    /** `<level>:<version>` of the enforce mode, when evaluated. */
    enforce: text("enforce"),
    /** The denial message. */
    message: text("message"),
    /** JSON array of warnings. */
    warnings: text("warnings").notNull(),
    /** `namespace`, `user`, `runtimeClass`, or `ignored` (not evaluated). */
    exempt: text("exempt"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("admission_decisions_tenant_at_idx").on(t.tenantId, t.at, t.id),
    index("admission_decisions_tenant_namespace_idx").on(t.tenantId, t.namespace, t.at),
  ],
);
