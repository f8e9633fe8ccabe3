/**
 * The `table` report: the CLI's human format. Findings grouped by resource (kind, namespace, name and
 * its file), one line each — severity, check, message, `file:line` — then ingest errors with
 * `file:line:column`, then one summary line. Severities are coloured with ANSI codes only when asked;
 * control characters in user-controlled text are shown escaped so input cannot drive the terminal.
 */
import type { Severity } from "../policies/types.ts";
import type { Finding, ScanReport } from "../scan/types.ts";
import {
  allWarnings,
  CONTROL_CHARS,
  compareFindings,
  locationLabel,
  positionLabel,
  resourceKey,
  resourceLabel,
  summarySentence,
  suppressionNote,
} from "./shared.ts";

/** The options the table renderer reads. */
export interface TableOptions {
  /** Colour severities and the verdict with ANSI escape codes. */
  color?: boolean;
}

const RESET = "\u001b[0m";

/** One SGR code per severity: bold red, red, yellow, cyan, dim. */
const SEVERITY_SGR: Readonly<Record<Severity, string>> = {
  critical: "\u001b[1;31m",
  high: "\u001b[31m",
  medium: "\u001b[33m",
  low: "\u001b[36m",
  info: "\u001b[2m",
};

/** Bidirectional overrides and isolates, which can make a line read differently from what it is. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const SEVERITY_WIDTH = "CRITICAL".length;

/** Text safe for a terminal: line breaks and tabs as spaces, other control characters as `\xNN` / `\uNNNN`. */
export function terminalSafe(text: string): string {
  return text
    .replace(/[\t\n\r\u2028\u2029]+/g, " ")
    .replace(CONTROL_CHARS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(BIDI_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function paint(text: string, sgr: string, color: boolean): string {
  return color ? `${sgr}${text}${RESET}` : text;
}

interface Group {
  header: string;
  findings: Finding[];
  /** Position of the resource in the report (input order); resources not listed come last. */
  order: number;
}

/** Findings grouped by resource and file, in input order, each group sorted worst first. */
function groupFindings(report: ScanReport): Group[] {
  const position = new Map<string, { order: number; line: number }>();
  report.resources.forEach((r, i) => {
    const key = resourceKey(r, r.source.file);
    if (!position.has(key)) position.set(key, { order: i, line: r.source.line });
  });
  const groups = new Map<string, Group>();
  for (const f of report.findings) {
    const key = resourceKey(f.resource, f.location.file);
    let group = groups.get(key);
    if (!group) {
      const at = position.get(key);
      const where = locationLabel({ file: f.location.file, line: at?.line ?? f.location.line });
      group = {
        header: `${terminalSafe(resourceLabel(f.resource))}  ${terminalSafe(where)}`,
        findings: [],
        order: at?.order ?? Number.MAX_SAFE_INTEGER,
      };
      groups.set(key, group);
    }
    group.findings.push(f);
  }
  const list = [...groups.values()];
  for (const g of list) g.findings.sort(compareFindings);
  // Resources the report does not list (cluster-wide findings) follow, ordered by their worst finding.
  return list.sort((a, b) => a.order - b.order || compareFindings(a.findings[0]!, b.findings[0]!));
}

/**
 * The report as the CLI prints it (final newline).
 *
 * @example
 * process.stdout.write(renderTable(report, { color: process.stdout.isTTY }));
 */
export function renderTable(report: ScanReport, opts: TableOptions = {}): string {
  const color = opts.color === true;
  const groups = groupFindings(report);
  const checkWidth = report.findings.reduce((w, f) => Math.max(w, terminalSafe(f.check).length), 0);
  const lines: string[] = [];
  for (const g of groups) {
    lines.push(g.header);
    for (const f of g.findings) {
      // A suppressed finding is no longer a problem: its severity is shown dim, whatever it is.
      const sgr = f.suppressed ? SEVERITY_SGR.info : SEVERITY_SGR[f.severity];
      const severity = paint(f.severity.toUpperCase().padEnd(SEVERITY_WIDTH), sgr, color);
      // A file-less (snapshot) finding has its place in the group header already.
      const where = f.location.file ? `  ${terminalSafe(locationLabel(f.location))}` : "";
      const note = f.suppressed ? `  [${terminalSafe(suppressionNote(f))}]` : "";
      lines.push(
        `  ${severity}  ${terminalSafe(f.check).padEnd(checkWidth)}  ${terminalSafe(f.message)}${where}${note}`,
      );
    }
    lines.push("");
  }
  if (report.errors.length) {
    lines.push(paint("Errors", SEVERITY_SGR.high, color));
    for (const e of report.errors) {
      lines.push(
        `  ${terminalSafe(positionLabel(e))}  ${terminalSafe(e.message)}${e.path ? `  (${terminalSafe(e.path)})` : ""}`,
      );
    }
    lines.push("");
  }
  const warnings = allWarnings(report);
  if (warnings.length) {
    lines.push(paint("Warnings", SEVERITY_SGR.medium, color));
    for (const w of warnings) lines.push(`  ${terminalSafe(w)}`);
    lines.push("");
  }
  const summary = summarySentence(report);
  lines.push(report.verdict.passed ? summary : paint(summary, SEVERITY_SGR.critical, color));
  return `${lines.join("\n")}\n`;
}
