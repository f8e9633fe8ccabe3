/**
 * Outbound webhooks: a tenant's endpoints, and the deliveries of scan events to them, which are both
 * the delivery log (`GET /v1/webhooks/{id}/deliveries`) and the retry queue. Every method takes the
 * tenant first, except {@link WebhookService.due}, the scheduler's look-up across tenants.
 *
 * An attempt is claimed before it is made: the claim counts the attempt and moves `next_attempt_at`
 * past the attempt's timeout (a lease) in one conditional UPDATE, so an immediate attempt and a
 * scheduler run, or two instances, never send the same attempt twice; if the process dies during the
 * attempt, the lease runs out and the scheduler retries.
 */
import { and, desc, eq, getTableColumns, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { chunkRows, type Database, type Driver, type Statement } from "./database.ts";
import { webhookDeliveries, webhookEndpoints } from "./schema.ts";

export type WebhookEventType = "scan.completed" | "scan.failed";
export type WebhookFormat = "standard" | "slack";
export type DeliveryStatus = "pending" | "succeeded" | "failed";

/** An endpoint as shown (never with its secret). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  format: WebhookFormat;
  description?: string;
  createdAt: Date;
}

/** An endpoint with the stored form of its secret, for signing. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  storedSecret: string;
}

export interface WebhookDeliveryRecord {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: WebhookEventType;
  scanId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode?: number;
  lastError?: string;
  lastAttemptAt?: Date;
  nextAttemptAt?: Date;
  createdAt: Date;
}

/** A claimed attempt: everything needed to send it. */
export interface ClaimedDelivery extends WebhookDeliveryRecord {
  tenantId: string;
  eventAt: Date;
  /** JSON text of the event's data. */
  payload: string;
}

export interface NewDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: WebhookEventType;
  scanId: string;
  payload: string;
  eventAt: Date;
}

/** The outcome of one attempt. */
export interface AttemptOutcome {
  status?: number;
  error?: string;
  /** When to try again; absent when the delivery succeeded or was given up. */
  retryAt?: Date;
  succeeded: boolean;
}

/** Position after which the next page of deliveries starts (newest first). */
export interface DeliveryCursor {
  createdAt: number;
  id: string;
}

/** Endpoints per tenant, which bounds the fan-out of one scan. */
export const MAX_ENDPOINTS_PER_TENANT = 20;

// A multi-row insert binds every column of every row: this sizes the chunks for D1's limit.
const DELIVERY_COLUMNS = Object.keys(getTableColumns(webhookDeliveries)).length;

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    format: row.format as WebhookFormat,
    ...(row.description !== null ? { description: row.description } : {}),
    createdAt: row.createdAt,
  };
}

function toDelivery(row: DeliveryRow): WebhookDeliveryRecord {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType as WebhookEventType,
    scanId: row.scanId,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    ...(row.lastStatusCode !== null ? { lastStatusCode: row.lastStatusCode } : {}),
    ...(row.lastError !== null ? { lastError: row.lastError } : {}),
    ...(row.lastAttemptAt !== null ? { lastAttemptAt: row.lastAttemptAt } : {}),
    ...(row.nextAttemptAt !== null ? { nextAttemptAt: row.nextAttemptAt } : {}),
    createdAt: row.createdAt,
  };
}

export class WebhookService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
  ) {}

  async createEndpoint(
    tenantId: string,
    input: {
      id: string;
      url: string;
      events: WebhookEventType[];
      format: WebhookFormat;
      description?: string;
      storedSecret: string;
    },
    now: Date,
    also: Statement[] = [],
  ): Promise<WebhookEndpoint> {
    const row: EndpointRow = {
      tenantId,
      id: input.id,
      url: input.url,
      events: JSON.stringify(input.events),
      format: input.format,
      description: input.description ?? null,
      secret: input.storedSecret,
      createdAt: now,
    };
    await this.driver.batch([this.db.insert(webhookEndpoints).values(row), ...also]);
    return toEndpoint(row);
  }

  async countEndpoints(tenantId: string): Promise<number> {
    return this.db.$count(webhookEndpoints, eq(webhookEndpoints.tenantId, tenantId));
  }

  /** The tenant's endpoints, newest first. */
  async listEndpoints(tenantId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.tenantId, tenantId))
      .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
      .limit(MAX_ENDPOINTS_PER_TENANT);
    return rows.map(toEndpoint);
  }

  async getEndpoint(tenantId: string, id: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.endpointRow(tenantId, id);
    return row ? toEndpoint(row) : undefined;
  }

  /** An endpoint with its stored secret, for signing a delivery. */
  async endpointForDelivery(tenantId: string, id: string): Promise<WebhookEndpointWithSecret | undefined> {
    const row = await this.endpointRow(tenantId, id);
    return row ? { ...toEndpoint(row), storedSecret: row.secret } : undefined;
  }

  /** The tenant's endpoints subscribed to any of `events`, with their stored secrets. */
  async subscribers(
    tenantId: string,
    events: readonly WebhookEventType[],
  ): Promise<WebhookEndpointWithSecret[]> {
    const rows = await this.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.tenantId, tenantId))
      .limit(MAX_ENDPOINTS_PER_TENANT);
    return rows
      .map((row) => ({ ...toEndpoint(row), storedSecret: row.secret }))
      .filter((e) => e.events.some((ev) => events.includes(ev)));
  }

  /**
   * Deletes an endpoint and its delivery log (and writes `also`) in one batch; false when the tenant has
   * no such endpoint.
   */
  async deleteEndpoint(tenantId: string, id: string, also: Statement[] = []): Promise<boolean> {
    if (!(await this.endpointRow(tenantId, id))) return false;
    await this.driver.batch([
      this.db
        .delete(webhookDeliveries)
        .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, id))),
      this.db
        .delete(webhookEndpoints)
        .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id))),
      ...also,
    ]);
    return true;
  }

  /** Queues deliveries, due at `now`, in one batch. */
  async enqueue(tenantId: string, deliveries: readonly NewDelivery[], now: Date): Promise<void> {
    if (deliveries.length === 0) return;
    const rows: DeliveryRow[] = deliveries.map((d) => ({
      tenantId,
      id: d.id,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: d.eventType,
      scanId: d.scanId,
      payload: d.payload,
      eventAt: d.eventAt,
      status: "pending",
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      lastAttemptAt: null,
      nextAttemptAt: now,
      createdAt: now,
    }));
    await this.driver.batch(
      chunkRows(rows, DELIVERY_COLUMNS).map((chunk) => this.db.insert(webhookDeliveries).values(chunk)),
    );
  }

  /**
   * Claims the next attempt of a due delivery: counts it and leases the delivery until `leaseUntil`.
   * Undefined when the delivery is not pending, not due yet, or another worker claimed it first.
   */
  async claim(
    tenantId: string,
    id: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<ClaimedDelivery | undefined> {
    const [row] = await this.db
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        nextAttemptAt: leaseUntil,
        lastAttemptAt: now,
      })
      .where(
        and(
          eq(webhookDeliveries.tenantId, tenantId),
          eq(webhookDeliveries.id, id),
          eq(webhookDeliveries.status, "pending"),
          lte(webhookDeliveries.nextAttemptAt, now),
        ),
      )
      .returning();
    if (!row) return undefined;
    return { ...toDelivery(row), tenantId: row.tenantId, eventAt: row.eventAt, payload: row.payload };
  }

  /** Records the outcome of the attempt that was claimed. */
  async complete(tenantId: string, id: string, outcome: AttemptOutcome): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({
        status: outcome.succeeded ? "succeeded" : outcome.retryAt ? "pending" : "failed",
        lastStatusCode: outcome.status ?? null,
        lastError: outcome.succeeded ? null : (outcome.error ?? "failed"),
        nextAttemptAt: outcome.succeeded ? null : (outcome.retryAt ?? null),
      })
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)));
  }

  /** Deliveries of every tenant whose next attempt is due, oldest due first. */
  async due(now: Date, limit: number): Promise<{ tenantId: string; id: string }[]> {
    return this.db
      .select({ tenantId: webhookDeliveries.tenantId, id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(webhookDeliveries.nextAttemptAt)
      .limit(limit);
  }

  /** A page of an endpoint's deliveries, newest first. */
  async listDeliveries(
    tenantId: string,
    endpointId: string,
    filter: { status?: DeliveryStatus },
    limit: number,
    after?: DeliveryCursor,
  ): Promise<{ items: WebhookDeliveryRecord[]; next?: DeliveryCursor }> {
    const conditions: (SQL | undefined)[] = [
      eq(webhookDeliveries.tenantId, tenantId),
      eq(webhookDeliveries.endpointId, endpointId),
    ];
    if (filter.status) conditions.push(eq(webhookDeliveries.status, filter.status));
    if (after) {
      const at = new Date(after.createdAt);
      conditions.push(
        or(
          lt(webhookDeliveries.createdAt, at),
          and(eq(webhookDeliveries.createdAt, at), lt(webhookDeliveries.id, after.id)),
        ),
      );
    }
    const rows = await this.db
      .select()
      .from(webhookDeliveries)
      .where(and(...conditions))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toDelivery);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, next: { createdAt: last.createdAt.getTime(), id: last.id } }
      : { items };
  }

  /** Deletes finished (succeeded or given-up) deliveries created before `before`; returns how many. */
  async purgeFinished(before: Date): Promise<number> {
    const rows = await this.db
      .delete(webhookDeliveries)
      .where(
        and(
          inArray(webhookDeliveries.status, ["succeeded", "failed"]),
          lt(webhookDeliveries.createdAt, before),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    return rows.length;
  }

  private async endpointRow(tenantId: string, id: string): Promise<EndpointRow | undefined> {
    const [row] = await this.db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
      .limit(1);
    return row;
  }
}
