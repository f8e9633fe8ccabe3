/**
 * The `sarif` report: SARIF 2.1.0 as GitHub code scanning reads it. One run; a rule per check that has
 * results, with the registry's text (`help` repeats the remediation, since GitHub does not show
 * `helpUri`) and a `security-severity` so alerts are ranked; results at the offending line of a
 * repository-relative file, fingerprinted without lines, suppressed findings as `suppressions`;
 * ingest errors and warnings as tool execution notifications.
 */
import type { CheckMeta, Severity } from "../policies/types.ts";
import { severityRank } from "../policies/types.ts";
import type { Finding, ScanReport } from "../scan/types.ts";
import {
  allWarnings,
  atLeastOne,
  type CheckCatalog,
  checkModule,
  checksWithFindings,
  encodeUriSegment,
  fileUri,
  normalizeBaseUri,
  resourceLabel,
} from "./shared.ts";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** The base URI ID every repository-relative artifact location refers to. */
export const SRCROOT = "%SRCROOT%";

/** The partial fingerprint carrying the finding's stable ID. */
export const FINGERPRINT_KEY = "kubeguardFindingId/v1";

/** GitHub rejects a run with more results than this; the worst are kept and the cut is reported. */
export const SARIF_MAX_RESULTS = 25_000;

/** GitHub keeps at most 10 tags per rule (and rejects more than 20). */
const MAX_TAGS = 10;

const INFORMATION_URI = "https://kubeguard.dev";

/** GitHub ranks alerts by this score: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

/** SARIF result levels: critical and high fail a code scanning check by default, as errors. */
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

type SarifLevel = "error" | "warning" | "note";

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region: { startLine: number; startColumn: number };
}

interface SarifLocation {
  physicalLocation: SarifPhysicalLocation;
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { "security-severity": string; tags: string[]; precision: "very-high" };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: "inSource" | "external"; status: "accepted"; justification: string }[];
  properties: Record<string, unknown>;
}

interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
  properties?: Record<string, unknown>;
}

/** `pss.privileged` → `PssPrivileged`, `rbac.wildcard-verbs` → `RbacWildcardVerbs`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

function helpText(check: CheckMeta): SarifMessage {
  const remediation = check.remediation || check.title;
  const refs = check.references;
  const text = [
    remediation,
    check.description,
    ...(refs.length ? [`References:\n${refs.map((r) => `- ${r.title}: ${r.url}`).join("\n")}`] : []),
  ].join("\n\n");
  const markdown = [
    `**Remediation.** ${remediation}`,
    check.description,
    ...(refs.length ? [`**References**\n\n${refs.map((r) => `- [${r.title}](${r.url})`).join("\n")}`] : []),
  ].join("\n\n");
  return { text, markdown };
}

function ruleOf(check: CheckMeta): SarifRule {
  const tags = [...new Set(["security", checkModule(check.id), ...Object.keys(check.frameworks)])].slice(
    0,
    MAX_TAGS,
  );
  return {
    id: check.id,
    name: pascalCase(check.id),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description || check.title },
    help: helpText(check),
    ...(check.references[0] ? { helpUri: check.references[0].url } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[check.severity] },
    properties: {
      "security-severity": SECURITY_SEVERITY[check.severity],
      tags,
      precision: "very-high",
    },
  };
}

/** The physical location of a position: its file, else `fallbackUri`, else none. */
function physicalLocation(
  loc: { file: string; line: number; column: number },
  baseUri: string | undefined,
  fallbackUri?: string,
): SarifPhysicalLocation | undefined {
  const target =
    fileUri(loc.file, baseUri) ?? (fallbackUri ? { uri: fallbackUri, relative: true } : undefined);
  if (!target) return undefined;
  return {
    artifactLocation: target.relative ? { uri: target.uri, uriBaseId: SRCROOT } : { uri: target.uri },
    region: { startLine: atLeastOne(loc.line), startColumn: atLeastOne(loc.column) },
  };
}

/**
 * `kubernetes/<namespace or _cluster>/<Kind>/<name>`: where a finding without a file (a cluster snapshot)
 * points, since GitHub rejects a result without an artifact URI.
 */
function resourceUri(f: Finding): string {
  const r = f.resource;
  return ["kubernetes", r.namespace ?? "_cluster", r.kind, r.name].map(encodeUriSegment).join("/");
}

function resultOf(f: Finding, ruleId: string, ruleIndex: number, baseUri: string | undefined): SarifResult {
  const r = f.resource;
  const result: SarifResult = {
    ruleId,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: physicalLocation(f.location, baseUri, resourceUri(f))!,
        logicalLocations: [{ name: r.name, fullyQualifiedName: resourceLabel(r), kind: "resource" }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.id },
    properties: {
      severity: f.severity,
      path: f.path,
      resource: {
        apiVersion: r.apiVersion,
        kind: r.kind,
        ...(r.namespace ? { namespace: r.namespace } : {}),
        name: r.name,
      },
      ...(f.pssCheck ? { pssCheck: f.pssCheck } : {}),
    },
  };
  if (f.suppressed) {
    const s = f.suppression;
    result.suppressions = [
      {
        kind: s?.source === "annotation" ? "inSource" : "external",
        status: "accepted",
        justification: s ? `${s.reason}${s.until ? ` (until ${s.until})` : ""}` : "suppressed",
      },
    ];
  }
  return result;
}

/** The worst `max` findings, in their original order. */
function capFindings(findings: readonly Finding[], max: number): Finding[] {
  if (findings.length <= max) return [...findings];
  const keep = new Set(
    findings
      .map((f, i) => ({ f, i }))
      .sort((a, b) => severityRank(b.f.severity) - severityRank(a.f.severity) || a.i - b.i)
      .slice(0, max)
      .map((x) => x.f),
  );
  return findings.filter((f) => keep.has(f));
}

function notificationsOf(
  report: ScanReport,
  baseUri: string | undefined,
  omitted: number,
): SarifNotification[] {
  const notes: SarifNotification[] = report.errors.map((e) => {
    const where = physicalLocation(e, baseUri);
    const properties = {
      ...(e.document !== undefined ? { document: e.document } : {}),
      ...(e.path ? { path: e.path } : {}),
    };
    return {
      level: "error",
      message: { text: e.message },
      descriptor: { id: "kubeguard.ingest-error" },
      ...(where ? { locations: [{ physicalLocation: where }] } : {}),
      ...(Object.keys(properties).length ? { properties } : {}),
    };
  });
  for (const warning of allWarnings(report)) {
    notes.push({ level: "warning", message: { text: warning }, descriptor: { id: "kubeguard.warning" } });
  }
  if (omitted > 0) {
    notes.push({
      level: "warning",
      message: {
        text: `${omitted} lower-severity results were left out: GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} results per run.`,
      },
      descriptor: { id: "kubeguard.results-truncated" },
    });
  }
  return notes;
}

/** The SARIF log as an object, before serialization. */
export function buildSarif(
  report: ScanReport,
  catalog: CheckCatalog,
  baseUri?: string,
): Record<string, unknown> {
  const base = normalizeBaseUri(baseUri);
  const findings = capFindings(report.findings, SARIF_MAX_RESULTS);
  const { checks } = checksWithFindings(catalog, findings);
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
  const results = findings.map((f) => {
    const id = catalog.get(f.check)?.id ?? f.check;
    return resultOf(f, id, ruleIndex.get(id)!, base);
  });
  const notifications = notificationsOf(report, base, report.findings.length - findings.length);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kubeguard",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: checks.map(ruleOf),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: {
          [SRCROOT]: base ? { uri: base } : { description: { text: "The root of the scanned repository." } },
        },
        columnKind: "utf16CodeUnits",
        results,
        properties: { verdict: report.verdict, summary: report.summary, options: report.options },
      },
    ],
  };
}

/**
 * The report as a SARIF 2.1.0 log (2-space indent, final newline).
 *
 * @example
 * renderSarif(report, catalogOf(CHECKS), "file:///home/ci/repo/");
 */
export function renderSarif(report: ScanReport, catalog: CheckCatalog, baseUri?: string): string {
  return `${JSON.stringify(buildSarif(report, catalog, baseUri), null, 2)}\n`;
}
