/**
 * The `markdown` report: a pull-request comment. The verdict, counts by severity, framework scores,
 * the worst findings with `file:line`, the rest and the suppressed ones folded in `<details>`, ingest
 * errors and warnings. It stays under GitHub's comment limit (65,536 characters) by leaving rows out
 * with a note; user-controlled text is escaped so a name or message cannot inject Markdown or HTML.
 */
import { SEVERITIES } from "../policies/types.ts";
import type { Finding, FrameworkResult, ScanReport } from "../scan/types.ts";
import {
  allWarnings,
  CONTROL_CHARS,
  countsSentence,
  fileLink,
  locationLabel,
  plural,
  positionLabel,
  resourceLabel,
  sortedFindings,
  suppressionNote,
  truncate,
  verdictWord,
  wellFormed,
} from "./shared.ts";

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The default size bound: GitHub's limit with room for a bot's own header or marker. */
export const MARKDOWN_MAX_LENGTH = 65_000;

/** How many findings are shown before the rest is folded. */
export const MARKDOWN_TOP_FINDINGS = 20;

/** The options the Markdown renderer reads. */
export interface MarkdownOptions {
  title?: string;
  /** `http(s)` URI of the repository root: `file:line` becomes a link to the line. */
  baseUri?: string;
  /** The most characters to produce (default `MARKDOWN_MAX_LENGTH`). */
  maxLength?: number;
}

const MESSAGE_MAX = 500;
const CELL_MAX = 200;

/** Markdown punctuation that could start emphasis, code, links, tables, math or raw HTML. */
const MD_SPECIAL = /[\\`*_[\]()#|~$!<>&]/g;

/**
 * User-controlled text made inert for a Markdown table cell: on one line, at most `max` characters,
 * punctuation backslash-escaped, `<`, `>` and `&` as entities, and `@name` kept from mentioning anyone.
 */
export function escapeMarkdown(text: string, max = CELL_MAX): string {
  const oneLine = wellFormed(text).replace(CONTROL_CHARS, " ").replace(/\s+/g, " ").trim();
  return truncate(oneLine, max)
    .replace(MD_SPECIAL, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`))
    .replace(/(^|[^\w])@(?=\w)/g, "$1@\u200b");
}

/** `65000` → `65,000`, without depending on the runtime's locale data. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |\n`;
}

function tableHead(cells: string[], align: ("left" | "right")[]): string {
  return row(cells) + row(align.map((a) => (a === "right" ? "---:" : "---")));
}

/**
 * A table whose rows are left out, with a note, when a character budget runs out. Every section first
 * reserves its frame and the longest note it could need, so each one appears whatever the others take;
 * then rows are added in priority order while the budget lasts.
 */
class BudgetedTable {
  private shown = 0;
  private included = false;

  constructor(
    private readonly intro: string,
    private readonly head: string,
    private readonly rows: readonly string[],
    private readonly close: string,
    private readonly noun: string,
    private readonly limit: number,
  ) {}

  private note(omitted: number): string {
    if (omitted === 0) return "";
    return `\n_${omitted}${this.shown > 0 ? " more" : ""} ${this.noun} not shown, to keep this comment within ${thousands(this.limit)} characters. The full report (SARIF, HTML or JSON) has them all._\n`;
  }

  /** Take the frame from the budget; when even that does not fit, the section is left out. */
  reserve(budget: { left: number }): void {
    const frame =
      this.intro.length + this.head.length + this.close.length + this.note(this.rows.length).length;
    if (frame > budget.left) return;
    budget.left -= frame;
    this.included = true;
  }

  /** Add rows while they fit. */
  fill(budget: { left: number }): void {
    if (!this.included) return;
    while (this.shown < this.rows.length && this.rows[this.shown]!.length <= budget.left) {
      budget.left -= this.rows[this.shown]!.length;
      this.shown++;
    }
  }

  render(): string {
    if (!this.included) return "";
    const table = this.shown > 0 ? this.head + this.rows.slice(0, this.shown).join("") : "";
    return this.intro + table + this.note(this.rows.length - this.shown) + this.close;
  }
}

function locationCell(loc: { file: string; line: number }, baseUri: string | undefined): string {
  const label = escapeMarkdown(locationLabel(loc));
  const href = fileLink(loc.file, loc.line, baseUri);
  return href ? `[${label}](${href})` : label;
}

function findingRow(f: Finding, baseUri: string | undefined, ...extra: string[]): string {
  return row([
    f.severity,
    locationCell(f.location, baseUri),
    escapeMarkdown(f.check),
    escapeMarkdown(resourceLabel(f.resource)),
    escapeMarkdown(f.message, MESSAGE_MAX),
    ...extra,
  ]);
}

const FINDING_HEAD = tableHead(
  ["Severity", "Location", "Check", "Resource", "Message"],
  ["left", "left", "left", "left", "left"],
);
const SUPPRESSED_HEAD = tableHead(
  ["Severity", "Location", "Check", "Resource", "Message", "Suppression"],
  ["left", "left", "left", "left", "left", "left"],
);

function scoreCell(score: number | null): string {
  return score === null ? "n/a" : `${score.toFixed(1)}%`;
}

function frameworksTable(frameworks: readonly FrameworkResult[]): string {
  if (frameworks.length === 0) return "";
  const head = tableHead(
    ["Framework", "Score", "Passed", "Failed", "Suppressed", "Not applicable"],
    ["left", "right", "right", "right", "right", "right"],
  );
  const rows = frameworks.map((fw) =>
    row([
      escapeMarkdown(fw.title),
      scoreCell(fw.score),
      `${fw.passed}`,
      `${fw.failed}`,
      `${fw.suppressed}`,
      `${fw.notApplicable}`,
    ]),
  );
  return `### Framework scores\n\n${head}${rows.join("")}\n`;
}

function snapshotLine(report: ScanReport): string {
  const s = report.snapshot;
  if (!s) return "";
  const facts = [s.provider, s.serverVersion]
    .filter((x): x is string => Boolean(x))
    .map((x) => escapeMarkdown(x));
  return (
    `Cluster snapshot${s.cluster ? ` of **${escapeMarkdown(s.cluster)}**` : ""}` +
    (facts.length ? ` (${facts.join(", ")})` : "") +
    (s.capturedAt ? `, captured ${escapeMarkdown(s.capturedAt)}` : "") +
    ".\n\n"
  );
}

/**
 * The report as a Markdown pull-request comment of at most `opts.maxLength` characters (the heading,
 * verdict, counts and scores always appear; finding, error and warning rows are left out with a note
 * when they would not fit).
 *
 * @example
 * renderMarkdown(report, { baseUri: "https://github.com/org/repo/blob/3f2c1e0/" });
 */
export function renderMarkdown(report: ScanReport, opts: MarkdownOptions = {}): string {
  const base = opts.baseUri;
  const title = escapeMarkdown(opts.title ?? "kubeguard report");
  const verdict = `**kubeguard: ${verdictWord(report)}** (failOn ${report.verdict.failOn}): ${countsSentence(report)}.\n\n`;
  const counts =
    tableHead(["Severity", "Findings"], ["left", "right"]) +
    SEVERITIES.map((s) => row([s, `${report.summary.bySeverity[s] ?? 0}`])).join("") +
    "\n";
  const head = `## ${title}\n\n${verdict}${snapshotLine(report)}${counts}${frameworksTable(report.frameworks)}`;
  const footer = `<sub>kubeguard ${escapeMarkdown(report.tool.version)} · Pod Security Standards ${report.options.pssLevel} (${escapeMarkdown(report.options.pssVersion)})</sub>\n`;

  const limit = opts.maxLength ?? MARKDOWN_MAX_LENGTH;
  const { open, suppressed } = sortedFindings(report);
  const rest = open.slice(MARKDOWN_TOP_FINDINGS);
  const table = (intro: string, headRow: string, rows: string[], close: string, noun: string) =>
    rows.length ? new BudgetedTable(intro, headRow, rows, close, noun, limit) : undefined;
  const top = table(
    "### Findings\n\n",
    FINDING_HEAD,
    open.slice(0, MARKDOWN_TOP_FINDINGS).map((f) => findingRow(f, base)),
    "\n",
    "findings",
  );
  const errors = table(
    `### Errors (${report.errors.length})\n\nThese inputs could not be scanned completely.\n\n`,
    tableHead(["Location", "Error", "Path"], ["left", "left", "left"]),
    report.errors.map((e) =>
      row([
        escapeMarkdown(positionLabel(e)),
        escapeMarkdown(e.message, MESSAGE_MAX),
        e.path ? escapeMarkdown(e.path) : "",
      ]),
    ),
    "\n",
    "errors",
  );
  const more = table(
    `<details>\n<summary>${plural(rest.length, "more finding")}</summary>\n\n`,
    FINDING_HEAD,
    rest.map((f) => findingRow(f, base)),
    "\n</details>\n\n",
    "findings",
  );
  const folded = table(
    `<details>\n<summary>${plural(suppressed.length, "suppressed finding")}</summary>\n\n`,
    SUPPRESSED_HEAD,
    suppressed.map((f) => findingRow(f, base, escapeMarkdown(suppressionNote(f), MESSAGE_MAX))),
    "\n</details>\n\n",
    "suppressed findings",
  );
  const warnings = table(
    "### Warnings\n\n",
    "",
    allWarnings(report).map((w) => `- ${escapeMarkdown(w, MESSAGE_MAX)}\n`),
    "\n",
    "warnings",
  );
  // Frames first, then rows by importance; sections are assembled in reading order below.
  const budget = { left: limit - head.length - footer.length };
  const byPriority = [top, errors, more, folded, warnings].filter((t): t is BudgetedTable => t !== undefined);
  for (const t of byPriority) t.reserve(budget);
  for (const t of byPriority) t.fill(budget);
  const findingsSection = top ? top.render() : "### Findings\n\nNo unsuppressed findings.\n\n";
  return (
    head +
    findingsSection +
    (more?.render() ?? "") +
    (folded?.render() ?? "") +
    (errors?.render() ?? "") +
    (warnings?.render() ?? "") +
    footer
  );
}
