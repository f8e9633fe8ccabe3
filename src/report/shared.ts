/**
 * What every report renderer shares: the options, the check catalog rule metadata comes from, the
 * order findings are listed in, labels for resources and locations, the summary sentence, and the
 * mapping of a report's file names to repository-relative URIs. Pure; no runtime APIs.
 */
import type { ResourceRef } from "../ingest/types.ts";
import type { CheckMeta } from "../policies/types.ts";
import { SEVERITIES, severityRank } from "../policies/types.ts";
import type { Finding, ScanReport } from "../scan/types.ts";

/** Where renderers read check metadata: the registry in production, a hand-made list in tests. */
export interface CheckCatalog {
  /** Every known check, in registry order. */
  readonly checks: readonly CheckMeta[];
  /** A check by ID or alias. */
  get(id: string): CheckMeta | undefined;
}

/** Options of `renderReport`; each format reads the ones that concern it. */
export interface RenderOptions {
  /** `table`: colour severities with ANSI escape codes. */
  color?: boolean;
  /**
   * Absolute URI of the scanned repository's root, ending with `/` (added when missing). SARIF records it
   * as `%SRCROOT%` and makes file URIs under it relative; Markdown and HTML link `file:line` to it when it
   * is an `http(s)` URI (e.g. `https://github.com/org/repo/blob/<sha>/`).
   */
  baseUri?: string;
  /** Heading of the Markdown and HTML reports. */
  title?: string;
  /** `junit`: when the scan ran (default: the snapshot's capture time, else now). */
  timestamp?: Date | string;
  /** `junit`: the host the scan ran on (default `localhost`). */
  hostname?: string;
  /** `markdown`: the most characters to produce (default `MARKDOWN_MAX_LENGTH`). */
  maxLength?: number;
  /** Rule metadata (default: the check registry). */
  catalog?: CheckCatalog;
}

/** A catalog over a list of checks, resolving aliases like the registry does. */
export function catalogOf(checks: readonly CheckMeta[]): CheckCatalog {
  const byId = new Map<string, CheckMeta>();
  for (const check of checks) {
    byId.set(check.id, check);
    for (const alias of check.aliases ?? []) byId.set(alias, check);
  }
  return { checks, get: (id) => byId.get(id) };
}

/**
 * Metadata for a check ID. A check the catalog does not know (a registry still being filled, a stored
 * scan from an older version) is described from its finding, so every finding can still be rendered.
 */
export function checkMeta(catalog: CheckCatalog, id: string, sample?: Finding): CheckMeta {
  const known = catalog.get(id);
  if (known) return known;
  const title = sample?.title ?? id;
  return {
    id,
    title,
    severity: sample?.severity ?? "info",
    description: title,
    remediation: "",
    references: [],
    frameworks: {},
  };
}

/**
 * The checks that have findings, as metadata in catalog order, then unknown IDs in order of appearance.
 * Findings are keyed by canonical ID, so an alias and its check share one entry.
 */
export function checksWithFindings(
  catalog: CheckCatalog,
  findings: readonly Finding[],
): { checks: CheckMeta[]; byCheck: Map<string, Finding[]> } {
  const byCheck = new Map<string, Finding[]>();
  const unknown: CheckMeta[] = [];
  for (const f of findings) {
    const meta = catalog.get(f.check);
    const id = meta?.id ?? f.check;
    let list = byCheck.get(id);
    if (!list) {
      list = [];
      byCheck.set(id, list);
      if (!meta) unknown.push(checkMeta(catalog, id, f));
    }
    list.push(f);
  }
  const checks = catalog.checks.filter((c) => byCheck.has(c.id));
  return { checks: [...checks, ...unknown], byCheck };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Worst first, then by file, line and column, then check and fingerprint: a total, stable order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareText(a.check, b.check) ||
    compareText(a.id, b.id)
  );
}

/** Findings sorted by `compareFindings`, split into unsuppressed and suppressed. */
export function sortedFindings(report: ScanReport): { open: Finding[]; suppressed: Finding[] } {
  const sorted = [...report.findings].sort(compareFindings);
  return { open: sorted.filter((f) => !f.suppressed), suppressed: sorted.filter((f) => f.suppressed) };
}

/** The module of a check ID: `pss` for `pss.privileged`. */
export function checkModule(id: string): string {
  const dot = id.indexOf(".");
  return dot < 0 ? id : id.slice(0, dot);
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** `Deployment/default/web`, or `ClusterRole/admin` without a namespace. */
export function resourceLabel(r: ResourceRef): string {
  return r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
}

/** Identity of a resource in one file, for grouping findings: the same object in two files is two groups. */
export function resourceKey(r: ResourceRef, file: string): string {
  return [r.apiVersion, r.kind, r.namespace ?? "", r.name, file].join("\u0000");
}

/** Shown where a finding has no file (a cluster snapshot read from the API server). */
export const NO_FILE_LABEL = "cluster snapshot";

/** Lines and columns are 1-based; anything lower is clamped so no format ever shows line 0. */
export function atLeastOne(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/** `file:line`, or the no-file label. */
export function locationLabel(loc: { file: string; line: number }): string {
  return loc.file === "" ? NO_FILE_LABEL : `${loc.file}:${atLeastOne(loc.line)}`;
}

/** `file:line:column`, or the no-file label. */
export function positionLabel(loc: { file: string; line: number; column: number }): string {
  return loc.file === "" ? NO_FILE_LABEL : `${loc.file}:${atLeastOne(loc.line)}:${atLeastOne(loc.column)}`;
}

/** `1 finding`, `2 findings`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `passed` or `failed`. */
export function verdictWord(report: ScanReport): "passed" | "failed" {
  return report.verdict.passed ? "passed" : "failed";
}

/** `12 findings (2 critical, 3 high), 1 suppressed, 0 errors in 40 resources`: the counts of the summary. */
export function countsSentence(report: ScanReport): string {
  const s = report.summary;
  const bySeverity = SEVERITIES.filter((sev) => (s.bySeverity[sev] ?? 0) > 0).map(
    (sev) => `${s.bySeverity[sev]} ${sev}`,
  );
  const findings = plural(s.findings, "finding") + (bySeverity.length ? ` (${bySeverity.join(", ")})` : "");
  return `${findings}, ${s.suppressed} suppressed, ${plural(s.errors, "error")} in ${plural(s.resources, "resource")}`;
}

/** `12 findings (…), 1 suppressed, 0 errors in 40 resources — failed (failOn high)`. */
export function summarySentence(report: ScanReport): string {
  return `${countsSentence(report)} — ${verdictWord(report)} (failOn ${report.verdict.failOn})`;
}

/** `suppressed by annotation: reason (until 2030-01-01)`. */
export function suppressionNote(f: Finding): string {
  const s = f.suppression;
  if (!s) return "suppressed";
  return `suppressed by ${s.source}: ${s.reason}${s.until ? ` (until ${s.until})` : ""}`;
}

/** Every warning of the scan and of its snapshot, in that order. */
export function allWarnings(report: ScanReport): string[] {
  return [...(report.warnings ?? []), ...(report.snapshot?.warnings ?? [])];
}

/** C0 and C1 control characters (tab and line breaks included); each format decides what becomes of them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters in user text is the point.
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with lone UTF-16 surrogates replaced by U+FFFD, so it can be encoded as UTF-8 or a URI. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** One URI path segment, percent-encoded (also `()'*!`, so the URI is safe inside Markdown links). */
export function encodeUriSegment(segment: string): string {
  return encodeURIComponent(wellFormed(segment)).replace(
    /[()'*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function encodePath(path: string): string {
  return path
    .split("/")
    .map((seg, i) => (i <= 1 && /^[A-Za-z]:$/.test(seg) ? seg : encodeUriSegment(seg)))
    .join("/");
}

/** `./a//b/./c` → `a/b/c`; `..` segments are kept. */
function normalizeRelative(path: string): string {
  return path
    .split("/")
    .filter((seg) => seg !== "" && seg !== ".")
    .join("/");
}

function decodeOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The base URI with a trailing slash, or undefined when it is not an absolute URI. */
export function normalizeBaseUri(baseUri: string | undefined): string | undefined {
  // A scheme has two characters or more, so a drive letter (`C:/repo`) is not taken for one.
  if (!baseUri || !/^[A-Za-z][A-Za-z0-9+.-]+:/.test(baseUri)) return undefined;
  return baseUri.endsWith("/") ? baseUri : `${baseUri}/`;
}

/** A file of the report as a URI reference. */
export interface FileUri {
  /** Percent-encoded; relative to the repository root when `relative`, else an absolute URI. */
  uri: string;
  relative: boolean;
}

/**
 * The report's file name as a URI: repository-relative with forward slashes and percent-encoding
 * (`./k8s/my app.yaml` → `k8s/my%20app.yaml`), `stdin` for standard input, an absolute path under a
 * `file:` base URI made relative to it, any other absolute path as a `file:` URI. Undefined for no file.
 */
export function fileUri(file: string, baseUri?: string): FileUri | undefined {
  if (file === "") return undefined;
  if (file === "-" || file === "<stdin>") return { uri: "stdin", relative: true };
  const base = normalizeBaseUri(baseUri);
  if (/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(file)) {
    if (base && file.startsWith(base)) return { uri: file.slice(base.length), relative: true };
    return { uri: file, relative: false };
  }
  const slashed = file.replace(/\\/g, "/");
  const isAbsolute = slashed.startsWith("/") || /^[A-Za-z]:\//.test(slashed);
  if (!isAbsolute) return { uri: encodePath(normalizeRelative(slashed)), relative: true };
  const absolute = slashed.startsWith("/") ? slashed : `/${slashed}`;
  if (base?.startsWith("file://")) {
    const basePath = decodeOrSelf(base.slice("file://".length));
    if (absolute.startsWith(basePath)) {
      return { uri: encodePath(normalizeRelative(absolute.slice(basePath.length))), relative: true };
    }
  }
  return { uri: `file://${encodePath(absolute)}`, relative: false };
}

/**
 * A link to `file` at `line` under an `http(s)` base URI (GitHub-style `#L12` anchor), or undefined when
 * there is no such base, no file, or the file is not in the repository.
 */
export function fileLink(file: string, line: number, baseUri: string | undefined): string | undefined {
  const base = normalizeBaseUri(baseUri);
  if (!base || !/^https?:\/\/[^\s<>"'()`\\]+$/.test(base)) return undefined;
  const target = fileUri(file, base);
  if (!target?.relative || target.uri === "stdin") return undefined;
  return `${base}${target.uri}#L${atLeastOne(line)}`;
}
