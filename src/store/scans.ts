/**
 * Stored scans: a scan row, its resources and findings as rows, and its idempotency key, written in
 * one batch and read back per tenant. Every method takes the tenant first and every query filters by it.
 */
import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import type { FrameworkId, Severity } from "../policies/types.ts";
import { severityRank } from "../policies/types.ts";
import type { KubeguardConfig } from "../scan/config.ts";
import type {
  FailOn,
  Finding,
  ResourceReport,
  ScanOptions,
  ScanReport,
  ScanSummary,
  Suppression,
} from "../scan/types.ts";
import { chunkRows, type Database, type Driver, type Statement } from "./database.ts";
import { findings, idempotencyKeys, scanResources, scans } from "./schema.ts";

/** Where a scan came from, as the pipeline told us. */
export interface ScanSource {
  repository?: string;
  commit?: string;
  branch?: string;
  pipelineUrl?: string;
  labels?: Record<string, string>;
}

/** A framework's score without its controls. */
export interface FrameworkScore {
  id: FrameworkId;
  title: string;
  score: number | null;
  passed: number;
  failed: number;
  suppressed: number;
  notApplicable: number;
}

/** A scan as listed and fetched (the report is fetched separately). */
export interface StoredScan {
  id: string;
  createdAt: Date;
  completedAt: Date;
  toolVersion: string;
  options: ScanOptions;
  source: ScanSource;
  summary: ScanSummary;
  frameworks: FrameworkScore[];
  verdict: { passed: boolean; failOn: FailOn };
  /**
   * The tenant settings the scan ran with (null when the tenant had none). Read by `get` and `create`,
   * not by `list` (settings can be long and a page has up to 100 scans).
   */
  settings?: KubeguardConfig | null;
}

export interface NewScan {
  id: string;
  createdAt: Date;
  completedAt: Date;
  source: ScanSource;
  report: ScanReport;
  idempotency?: { key: string; requestHash: string };
  /** The tenant settings the scan ran with. */
  settings?: KubeguardConfig | null;
}

/** Position after which the next page of scans starts (newest first). */
export interface ScanCursor {
  createdAt: number;
  id: string;
}

export interface ScanFilter {
  repository?: string;
  branch?: string;
  commit?: string;
  passed?: boolean;
  since?: Date;
}

export interface FindingFilter {
  /** Lowest severity included. */
  severity?: Severity;
  check?: string;
  namespace?: string;
  kind?: string;
  suppressed?: boolean;
}

export interface Page<T, C> {
  items: T[];
  /** Present when there are more items after this page. */
  next?: C;
}

export type IdempotentLookup = { requestHash: string; scanId: string };

export type CreateResult =
  | { status: "created"; scan: StoredScan }
  | { status: "replayed"; scan: StoredScan }
  | { status: "conflict" };

/** Scans deleted per batch by {@link ScanService.deleteMany}: the ids and the tenant stay under D1's 100 parameters. */
export const MAX_DELETE_BATCH = 50;

// Multi-row inserts bind every column of every row, so these size the chunks for D1's limit.
const RESOURCE_COLUMNS = Object.keys(getTableColumns(scanResources)).length;
const FINDING_COLUMNS = Object.keys(getTableColumns(findings)).length;

/** Per-framework scores without the controls. */
export function frameworkScores(report: ScanReport): FrameworkScore[] {
  return report.frameworks.map((f) => ({
    id: f.id,
    title: f.title,
    score: f.score,
    passed: f.passed,
    failed: f.failed,
    suppressed: f.suppressed,
    notApplicable: f.notApplicable,
  }));
}

type ScanRow = typeof scans.$inferSelect;
type FindingRow = typeof findings.$inferSelect;

const LIST_COLUMNS = {
  id: scans.id,
  createdAt: scans.createdAt,
  completedAt: scans.completedAt,
  toolVersion: scans.toolVersion,
  repository: scans.repository,
  branch: scans.branch,
  commit: scans.commit,
  pipelineUrl: scans.pipelineUrl,
  labels: scans.labels,
  passed: scans.passed,
  failOn: scans.failOn,
  options: scans.options,
  summary: scans.summary,
  frameworks: scans.frameworks,
};

function toStoredScan(
  row: Omit<ScanRow, "tenantId" | "report" | "settings"> & { settings?: string | null },
): StoredScan {
  const source: ScanSource = {};
  if (row.repository !== null) source.repository = row.repository;
  if (row.commit !== null) source.commit = row.commit;
  if (row.branch !== null) source.branch = row.branch;
  if (row.pipelineUrl !== null) source.pipelineUrl = row.pipelineUrl;
  if (row.labels !== null) source.labels = JSON.parse(row.labels) as Record<string, string>;
  return {
    id: row.id,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    toolVersion: row.toolVersion,
    options: JSON.parse(row.options) as ScanOptions,
    source,
    summary: JSON.parse(row.summary) as ScanSummary,
    frameworks: JSON.parse(row.frameworks) as FrameworkScore[],
    verdict: { passed: row.passed, failOn: row.failOn as FailOn },
    ...(row.settings !== undefined
      ? { settings: row.settings === null ? null : (JSON.parse(row.settings) as KubeguardConfig) }
      : {}),
  };
}

/**
 * A finding row back to the report's Finding, with the keys in the order the engine writes them so the
 * rebuilt report is the same document, byte for byte, as the one that was stored.
 */
function toFinding(row: FindingRow): Finding {
  const finding: Finding = {
    id: row.fingerprint,
    check: row.checkId,
    severity: row.severity as Severity,
    title: row.title,
    message: row.message,
    resource: {
      apiVersion: row.apiVersion,
      kind: row.kind,
      ...(row.namespace !== null ? { namespace: row.namespace } : {}),
      name: row.name,
    },
    path: row.path,
    location: { file: row.file, line: row.line, column: row.column },
    suppressed: row.suppressed,
  };
  if (row.suppression !== null) finding.suppression = JSON.parse(row.suppression) as Suppression;
  if (row.pssCheck !== null) finding.pssCheck = row.pssCheck;
  return finding;
}

function findingRow(
  tenantId: string,
  scanId: string,
  ordinal: number,
  f: Finding,
): typeof findings.$inferInsert {
  return {
    tenantId,
    scanId,
    ordinal,
    fingerprint: f.id,
    checkId: f.check,
    severity: f.severity,
    severityRank: severityRank(f.severity),
    title: f.title,
    message: f.message,
    apiVersion: f.resource.apiVersion,
    kind: f.resource.kind,
    namespace: f.resource.namespace ?? null,
    name: f.resource.name,
    path: f.path,
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    suppressed: f.suppressed,
    suppression: f.suppression ? JSON.stringify(f.suppression) : null,
    pssCheck: f.pssCheck ?? null,
  };
}

function resourceRow(
  tenantId: string,
  scanId: string,
  ordinal: number,
  r: ResourceReport,
): typeof scanResources.$inferInsert {
  return {
    tenantId,
    scanId,
    ordinal,
    kind: r.kind,
    namespace: r.namespace ?? null,
    name: r.name,
    data: JSON.stringify(r),
  };
}

export class ScanService {
  constructor(
    private readonly db: Database,
    private readonly driver: Driver,
  ) {}

  /** The scan an idempotency key already produced, if any. */
  async findIdempotent(tenantId: string, key: string): Promise<IdempotentLookup | undefined> {
    const [row] = await this.db
      .select({ requestHash: idempotencyKeys.requestHash, scanId: idempotencyKeys.scanId })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)))
      .limit(1);
    return row;
  }

  /**
   * Stores a scan, its resources, findings and idempotency key in one batch. When a concurrent request
   * with the same idempotency key won the race, the batch fails as a whole and the winner's scan is
   * returned (or a conflict, when the winner's request differed).
   */
  async create(tenantId: string, input: NewScan): Promise<CreateResult> {
    const { report } = input;
    const scanRow: typeof scans.$inferInsert = {
      tenantId,
      id: input.id,
      createdAt: input.createdAt,
      completedAt: input.completedAt,
      repository: input.source.repository ?? null,
      branch: input.source.branch ?? null,
      commit: input.source.commit ?? null,
      pipelineUrl: input.source.pipelineUrl ?? null,
      labels: input.source.labels ? JSON.stringify(input.source.labels) : null,
      toolVersion: report.tool.version,
      passed: report.verdict.passed,
      failOn: report.verdict.failOn,
      options: JSON.stringify(report.options),
      summary: JSON.stringify(report.summary),
      frameworks: JSON.stringify(frameworkScores(report)),
      // Spreading keeps the keys' order; the emptied arrays are refilled from rows on read.
      report: JSON.stringify({ ...report, resources: [], findings: [] }),
      settings: input.settings ? JSON.stringify(input.settings) : null,
    };
    const statements: Statement[] = [];
    if (input.idempotency) {
      statements.push(
        this.db.insert(idempotencyKeys).values({
          tenantId,
          key: input.idempotency.key,
          requestHash: input.idempotency.requestHash,
          scanId: input.id,
          createdAt: input.createdAt,
        }),
      );
    }
    statements.push(this.db.insert(scans).values(scanRow));
    const resourceRows = report.resources.map((r, i) => resourceRow(tenantId, input.id, i, r));
    for (const chunk of chunkRows(resourceRows, RESOURCE_COLUMNS))
      statements.push(this.db.insert(scanResources).values(chunk));
    const findingRows = report.findings.map((f, i) => findingRow(tenantId, input.id, i, f));
    for (const chunk of chunkRows(findingRows, FINDING_COLUMNS))
      statements.push(this.db.insert(findings).values(chunk));
    try {
      await this.driver.batch(statements);
    } catch (err) {
      if (!input.idempotency) throw err;
      const winner = await this.findIdempotent(tenantId, input.idempotency.key);
      if (!winner) throw err;
      if (winner.requestHash !== input.idempotency.requestHash) return { status: "conflict" };
      const scan = await this.get(tenantId, winner.scanId);
      if (!scan) throw err;
      return { status: "replayed", scan };
    }
    return { status: "created", scan: toStoredScan(scanRow as ScanRow) };
  }

  async get(tenantId: string, id: string): Promise<StoredScan | undefined> {
    const [row] = await this.db
      .select({ ...LIST_COLUMNS, settings: scans.settings })
      .from(scans)
      .where(and(eq(scans.tenantId, tenantId), eq(scans.id, id)))
      .limit(1);
    return row ? toStoredScan(row) : undefined;
  }

  /** Scans newest first; `after` is the last scan of the previous page. */
  async list(
    tenantId: string,
    filter: ScanFilter,
    limit: number,
    after?: ScanCursor,
  ): Promise<Page<StoredScan, ScanCursor>> {
    const conditions: (SQL | undefined)[] = [eq(scans.tenantId, tenantId)];
    if (filter.repository !== undefined) conditions.push(eq(scans.repository, filter.repository));
    if (filter.branch !== undefined) conditions.push(eq(scans.branch, filter.branch));
    if (filter.commit !== undefined) conditions.push(eq(scans.commit, filter.commit));
    if (filter.passed !== undefined) conditions.push(eq(scans.passed, filter.passed));
    if (filter.since !== undefined) conditions.push(gte(scans.createdAt, filter.since));
    if (after) {
      const at = new Date(after.createdAt);
      conditions.push(or(lt(scans.createdAt, at), and(eq(scans.createdAt, at), lt(scans.id, after.id))));
    }
    const rows = await this.db
      .select(LIST_COLUMNS)
      .from(scans)
      .where(and(...conditions))
      .orderBy(desc(scans.createdAt), desc(scans.id))
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(toStoredScan);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, next: { createdAt: last.createdAt.getTime(), id: last.id } }
      : { items };
  }

  /**
   * Ids of the tenant's scans created before `before`, oldest first, at most `limit` (retention by age).
   */
  async idsCreatedBefore(tenantId: string, before: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: scans.id })
      .from(scans)
      .where(and(eq(scans.tenantId, tenantId), lt(scans.createdAt, before)))
      .orderBy(asc(scans.createdAt), asc(scans.id))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** Ids of the tenant's scans beyond the newest `keep`, at most `limit` (retention by count). */
  async idsBeyondNewest(tenantId: string, keep: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: scans.id })
      .from(scans)
      .where(eq(scans.tenantId, tenantId))
      .orderBy(desc(scans.createdAt), desc(scans.id))
      .limit(limit)
      .offset(keep);
    return rows.map((r) => r.id);
  }

  /**
   * Deletes scans with their resources, findings and idempotency keys in one batch (one transaction):
   * all of them go or none does. At most {@link MAX_DELETE_BATCH} ids (D1's parameter limit).
   */
  async deleteMany(tenantId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    if (ids.length > MAX_DELETE_BATCH) throw new RangeError(`at most ${MAX_DELETE_BATCH} scans per batch`);
    await this.driver.batch([
      this.db.delete(findings).where(and(eq(findings.tenantId, tenantId), inArray(findings.scanId, ids))),
      this.db
        .delete(scanResources)
        .where(and(eq(scanResources.tenantId, tenantId), inArray(scanResources.scanId, ids))),
      this.db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, tenantId), inArray(idempotencyKeys.scanId, ids))),
      this.db.delete(scans).where(and(eq(scans.tenantId, tenantId), inArray(scans.id, ids))),
    ]);
  }

  /** Deletes a scan with its resources, findings and idempotency keys; false when there is none. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: scans.id })
      .from(scans)
      .where(and(eq(scans.tenantId, tenantId), eq(scans.id, id)))
      .limit(1);
    if (!row) return false;
    await this.driver.batch([
      this.db.delete(findings).where(and(eq(findings.tenantId, tenantId), eq(findings.scanId, id))),
      this.db
        .delete(scanResources)
        .where(and(eq(scanResources.tenantId, tenantId), eq(scanResources.scanId, id))),
      this.db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.scanId, id))),
      this.db.delete(scans).where(and(eq(scans.tenantId, tenantId), eq(scans.id, id))),
    ]);
    return true;
  }

  /** A page of a scan's findings in report order, or undefined when the tenant has no such scan. */
  async findings(
    tenantId: string,
    scanId: string,
    filter: FindingFilter,
    limit: number,
    afterOrdinal?: number,
  ): Promise<Page<Finding, number> | undefined> {
    if (!(await this.exists(tenantId, scanId))) return undefined;
    const conditions: (SQL | undefined)[] = [eq(findings.tenantId, tenantId), eq(findings.scanId, scanId)];
    if (filter.severity !== undefined)
      conditions.push(gte(findings.severityRank, severityRank(filter.severity)));
    if (filter.check !== undefined) conditions.push(eq(findings.checkId, filter.check));
    if (filter.namespace !== undefined) conditions.push(eq(findings.namespace, filter.namespace));
    if (filter.kind !== undefined) conditions.push(eq(findings.kind, filter.kind));
    if (filter.suppressed !== undefined) conditions.push(eq(findings.suppressed, filter.suppressed));
    if (afterOrdinal !== undefined) conditions.push(gt(findings.ordinal, afterOrdinal));
    const rows = await this.db
      .select()
      .from(findings)
      .where(and(...conditions))
      .orderBy(asc(findings.ordinal))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const items = page.map(toFinding);
    return rows.length > limit && last ? { items, next: last.ordinal } : { items };
  }

  /** Every finding of a scan in report order, or undefined when the tenant has no such scan. */
  async allFindings(tenantId: string, scanId: string): Promise<Finding[] | undefined> {
    if (!(await this.exists(tenantId, scanId))) return undefined;
    return this.findingRows(tenantId, scanId);
  }

  /** The scan's JSON report, rebuilt exactly as the engine produced it; undefined when there is none. */
  async report(
    tenantId: string,
    scanId: string,
  ): Promise<{ createdAt: Date; report: ScanReport } | undefined> {
    const [row] = await this.db
      .select({ createdAt: scans.createdAt, report: scans.report })
      .from(scans)
      .where(and(eq(scans.tenantId, tenantId), eq(scans.id, scanId)))
      .limit(1);
    if (!row) return undefined;
    const report = JSON.parse(row.report) as ScanReport;
    const resourceRows = await this.db
      .select({ data: scanResources.data })
      .from(scanResources)
      .where(and(eq(scanResources.tenantId, tenantId), eq(scanResources.scanId, scanId)))
      .orderBy(asc(scanResources.ordinal));
    // Assigning to the existing keys keeps them where the engine put them.
    report.resources = resourceRows.map((r) => JSON.parse(r.data) as ResourceReport);
    report.findings = await this.findingRows(tenantId, scanId);
    return { createdAt: row.createdAt, report };
  }

  private async exists(tenantId: string, scanId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: scans.id })
      .from(scans)
      .where(and(eq(scans.tenantId, tenantId), eq(scans.id, scanId)))
      .limit(1);
    return row !== undefined;
  }

  private async findingRows(tenantId: string, scanId: string): Promise<Finding[]> {
    const rows = await this.db
      .select()
      .from(findings)
      .where(and(eq(findings.tenantId, tenantId), eq(findings.scanId, scanId)))
      .orderBy(asc(findings.ordinal));
    return rows.map(toFinding);
  }
}
