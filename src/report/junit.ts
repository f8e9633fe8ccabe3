/**
 * The `junit` report: JUnit XML in the strict Apache Ant schema (../shared/schemas/junit.xsd), as
 * GitLab and Jenkins display it. A testsuite per evaluated check, a testcase per (check, resource):
 * a failure for unsuppressed findings, skipped when every finding there is suppressed, one passing
 * testcase for a check without findings. A first `kubeguard` suite holds the scan's properties and one
 * errored testcase per ingest error. Testcase class names are check IDs, so Jenkins groups them by module.
 */
import type { IngestError } from "../ingest/types.ts";
import type { CheckMeta, PssLevel } from "../policies/types.ts";
import { severityRank } from "../policies/types.ts";
import type { Finding, ScanReport } from "../scan/types.ts";
import {
  allWarnings,
  type CheckCatalog,
  checkModule,
  checksWithFindings,
  compareFindings,
  plural,
  positionLabel,
  resourceKey,
  resourceLabel,
  summarySentence,
  suppressionNote,
  verdictWord,
} from "./shared.ts";

/** The options the JUnit renderer reads. */
export interface JunitOptions {
  /** When the scan ran (default: the snapshot's capture time, else now). */
  timestamp?: Date | string;
  /** Default `localhost`, as the schema advises when the host is unknown. */
  hostname?: string;
}

/** Characters XML 1.0 does not allow, lone surrogates included: replaced by U+FFFD. */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: `&`, `<` and `>` escaped, characters XML cannot carry replaced. */
export function xmlText(text: string): string {
  return text
    .replace(XML_FORBIDDEN, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** An attribute value in double quotes; tabs and line breaks as character references so they survive. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** `2024-05-01T12:00:00`: the schema's dateTime without fractions or zone (UTC). */
export function junitTimestamp(value: Date | string | undefined, fallback?: string): string {
  for (const candidate of [value, fallback]) {
    if (candidate === undefined) continue;
    const date = candidate instanceof Date ? candidate : new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, 19);
  }
  return new Date().toISOString().slice(0, 19);
}

type Outcome =
  | { kind: "pass" }
  | { kind: "failure" | "error"; message: string; type: string; text: string }
  | { kind: "skipped"; message: string };

interface TestCase {
  name: string;
  classname: string;
  outcome: Outcome;
}

interface Suite {
  name: string;
  package: string;
  properties: [string, string][];
  cases: TestCase[];
  out: string[];
  err: string[];
}

function attrs(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join("");
}

function renderCase(c: TestCase): string {
  const open = `    <testcase${attrs([
    ["name", c.name],
    ["classname", c.classname],
    ["time", "0"],
  ])}`;
  const o = c.outcome;
  if (o.kind === "pass") return `${open}/>`;
  if (o.kind === "skipped")
    return `${open}>\n      <skipped${attrs([["message", o.message]])}/>\n    </testcase>`;
  return `${open}>\n      <${o.kind}${attrs([
    ["message", o.message],
    ["type", o.type],
  ])}>${xmlText(o.text)}</${o.kind}>\n    </testcase>`;
}

function renderSuite(s: Suite, id: number, timestamp: string, hostname: string): string {
  const count = (kind: Outcome["kind"]) => s.cases.filter((c) => c.outcome.kind === kind).length;
  const head = `  <testsuite${attrs([
    ["name", s.name],
    ["package", s.package],
    ["id", id],
    ["timestamp", timestamp],
    ["hostname", hostname],
    ["tests", s.cases.length],
    ["failures", count("failure")],
    ["errors", count("error")],
    ["skipped", count("skipped")],
    ["time", "0"],
  ])}>`;
  const props = s.properties.length
    ? `    <properties>\n${s.properties
        .map(
          ([n, v]) =>
            `      <property${attrs([
              ["name", n],
              ["value", v],
            ])}/>`,
        )
        .join("\n")}\n    </properties>`
    : "    <properties/>";
  return [
    head,
    props,
    ...s.cases.map(renderCase),
    `    <system-out>${xmlText(s.out.join("\n"))}</system-out>`,
    `    <system-err>${xmlText(s.err.join("\n"))}</system-err>`,
    "  </testsuite>",
  ].join("\n");
}

/** Whether the scan evaluated a check: PSS checks above the scan's level are not run. */
function evaluated(check: CheckMeta, level: PssLevel): boolean {
  if (!check.pssLevel) return true;
  return level === "restricted" || (level === "baseline" && check.pssLevel === "baseline");
}

function findingLine(f: Finding): string {
  return `${positionLabel(f.location)} ${f.path}\n  ${f.message}`;
}

/** Findings of one check grouped by resource identity and file; the group with the worst finding first. */
function byResource(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const key = resourceKey(f.resource, f.location.file);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
}

function caseOf(check: CheckMeta, group: Finding[]): TestCase {
  const first = group[0]!;
  const file = first.location.file;
  const name = resourceLabel(first.resource) + (file ? ` (${file})` : "");
  const open = group.filter((f) => !f.suppressed);
  const suppressed = group.filter((f) => f.suppressed);
  if (open.length === 0)
    return { name, classname: check.id, outcome: { kind: "skipped", message: suppressionNote(first) } };
  const worst = open.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
  const lines = [
    ...open.map(findingLine),
    ...suppressed.map((f) => `${findingLine(f)}\n  (${suppressionNote(f)})`),
    ...(check.remediation ? [`Remediation: ${check.remediation}`] : []),
  ];
  return {
    name,
    classname: check.id,
    outcome: {
      kind: "failure",
      message:
        open.length > 1 ? `${worst.message} (and ${plural(open.length - 1, "more finding")})` : worst.message,
      type: worst.severity,
      text: lines.join("\n"),
    },
  };
}

function checkSuite(check: CheckMeta, findings: readonly Finding[], resources: number): Suite {
  const props: [string, string][] = [
    ["check", check.id],
    ["title", check.title],
    ["severity", check.severity],
    ...(check.pssCheck ? ([["pssCheck", check.pssCheck]] as [string, string][]) : []),
    ...Object.entries(check.frameworks).map(([fw, control]): [string, string] => [
      `framework.${fw}`,
      String(control),
    ]),
    ...(check.references[0] ? ([["helpUri", check.references[0].url]] as [string, string][]) : []),
  ];
  const groups = byResource(findings);
  const cases = groups.length
    ? groups.map((g) => caseOf(check, g))
    : [
        {
          name: `no findings in ${plural(resources, "resource")}`,
          classname: check.id,
          outcome: { kind: "pass" } as const,
        },
      ];
  const suppressedNotes = findings
    .filter((f) => f.suppressed)
    .map((f) => `${resourceLabel(f.resource)} at ${positionLabel(f.location)}: ${suppressionNote(f)}`);
  return {
    name: check.id,
    package: checkModule(check.id),
    properties: props,
    cases,
    out: [
      check.title,
      check.description,
      ...(check.remediation ? [`Remediation: ${check.remediation}`] : []),
      ...suppressedNotes,
    ],
    err: [],
  };
}

function errorCase(e: IngestError): TestCase {
  const where = positionLabel(e);
  return {
    name: where,
    classname: "kubeguard.ingest",
    outcome: {
      kind: "error",
      message: e.message,
      type: "ingest",
      text: `${where}${e.path ? ` ${e.path}` : ""}\n  ${e.message}`,
    },
  };
}

function scanSuite(report: ScanReport): Suite {
  const o = report.options;
  const snap = report.snapshot;
  const props: [string, string][] = [
    ["kubeguard.version", report.tool.version],
    ["pssLevel", o.pssLevel],
    ["pssVersion", o.pssVersion],
    ["failOn", o.failOn],
    ["verdict", verdictWord(report)],
    ["resources", String(report.summary.resources)],
    ["findings", String(report.summary.findings)],
    ["suppressed", String(report.summary.suppressed)],
    ["errors", String(report.summary.errors)],
  ];
  if (snap?.cluster) props.push(["snapshot.cluster", snap.cluster]);
  if (snap?.capturedAt) props.push(["snapshot.capturedAt", snap.capturedAt]);
  if (snap?.serverVersion) props.push(["snapshot.serverVersion", snap.serverVersion]);
  if (snap?.provider) props.push(["snapshot.provider", snap.provider]);
  return {
    name: "kubeguard",
    package: "kubeguard",
    properties: props,
    cases: report.errors.map(errorCase),
    out: [
      `kubeguard ${report.tool.version}: ${summarySentence(report)}`,
      ...allWarnings(report).map((w) => `warning: ${w}`),
    ],
    err: report.errors.map((e) => `${positionLabel(e)}: ${e.message}`),
  };
}

/**
 * The report as a JUnit `<testsuites>` document (final newline). Checks are the catalog's that the scan
 * evaluated (PSS checks above the scan's level are left out), then checks known only from findings.
 *
 * @example
 * renderJunit(report, catalogOf(CHECKS), { timestamp: scan.createdAt, hostname: "ci-runner-3" });
 */
export function renderJunit(report: ScanReport, catalog: CheckCatalog, opts: JunitOptions = {}): string {
  const timestamp = junitTimestamp(opts.timestamp, report.snapshot?.capturedAt);
  const hostname = opts.hostname?.trim() || "localhost";
  const { checks: withFindings, byCheck } = checksWithFindings(catalog, report.findings);
  const listed = new Set(withFindings.map((c) => c.id));
  const checks = [
    ...catalog.checks.filter((c) => listed.has(c.id) || evaluated(c, report.options.pssLevel)),
    ...withFindings.filter((c) => !catalog.get(c.id)),
  ];
  const suites = [
    scanSuite(report),
    ...checks.map((c) => checkSuite(c, byCheck.get(c.id) ?? [], report.summary.resources)),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<testsuites>",
    ...suites.map((s, i) => renderSuite(s, i, timestamp, hostname)),
    "</testsuites>",
    "",
  ].join("\n");
}
