/**
 * The `html` report: one self-contained page a person opens. The verdict, a severity chart and the
 * framework scores as inline SVG, and a findings table with a text filter, a severity select and a
 * "show suppressed" switch (a small inline script; with scripts off the whole table simply shows).
 * No external asset of any kind; a Content-Security-Policy allows only the page's own style and script
 * by hash. Everything user-controlled is escaped.
 */
import { SEVERITIES, type Severity, severityRank } from "../policies/types.ts";
import type { Finding, FrameworkResult, ScanReport } from "../scan/types.ts";
import { cspHash } from "./sha256.ts";
import {
  allWarnings,
  CONTROL_CHARS,
  countsSentence,
  fileLink,
  locationLabel,
  positionLabel,
  resourceLabel,
  sortedFindings,
  suppressionNote,
  truncate,
  verdictWord,
  wellFormed,
} from "./shared.ts";

/** The options the HTML renderer reads. */
export interface HtmlOptions {
  title?: string;
  /** `http(s)` URI of the repository root: locations become links to the line. */
  baseUri?: string;
}

/** Bar colours, also used for the severity badges. */
const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: "#b3261e",
  high: "#e8590c",
  medium: "#c99400",
  low: "#1c6fd1",
  info: "#6b7280",
};

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--track:#eef1f4}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--track:#262c36}}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;padding:1.5rem;max-width:80rem}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .75rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
.verdict{font-size:1.1rem}.verdict strong{padding:.1rem .5rem;border-radius:4px;color:#fff}
.passed strong{background:#1a7f37}.failed strong{background:#b3261e}.muted{color:var(--muted)}
svg text{fill:var(--fg);font:13px system-ui,sans-serif}svg .track{fill:var(--track)}
#controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-bottom:.75rem}
#controls[hidden]{display:none}input,select{font:inherit}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
td{overflow-wrap:anywhere}tr.suppressed td{opacity:.65;font-style:italic}
.badge{display:inline-block;padding:0 .4rem;border-radius:4px;color:#fff;font-size:12px;font-weight:600}
${SEVERITIES.map((s) => `.sev-${s}{background:${SEVERITY_COLORS[s]}}`).join("")}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
`;

const SCRIPT = `
(function () {
  var table = document.getElementById("findings");
  if (!table) return;
  var q = document.getElementById("q");
  var sev = document.getElementById("sev");
  var sup = document.getElementById("sup");
  var count = document.getElementById("count");
  var rows = table.tBodies[0].rows;
  function apply() {
    var text = q.value.trim().toLowerCase();
    var min = Number(sev.value);
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = Number(r.getAttribute("data-rank")) >= min &&
        (sup.checked || r.getAttribute("data-suppressed") !== "true") &&
        (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + " of " + rows.length + " shown";
  }
  q.addEventListener("input", apply);
  sev.addEventListener("change", apply);
  sup.addEventListener("change", apply);
  document.getElementById("controls").hidden = false;
  apply();
})();
`;

/** The page's policy: nothing loads, only this style and this script run. */
export const HTML_CSP = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Text or a double-quoted attribute value with `& < > " '` escaped and characters HTML forbids replaced. */
export function escapeHtml(text: string): string {
  return wellFormed(text)
    .replace(CONTROL_CHARS, (c) => (c === "\t" || c === "\n" || c === "\r" ? c : "\uFFFD"))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function severityChart(report: ScanReport): string {
  const counts = SEVERITIES.map((s) => report.summary.bySeverity[s] ?? 0);
  const max = Math.max(1, ...counts);
  const rowHeight = 28;
  const height = SEVERITIES.length * rowHeight + 4;
  const bars = SEVERITIES.map((s, i) => {
    const n = counts[i]!;
    const y = 4 + i * rowHeight;
    const width = n === 0 ? 0 : Math.max(2, Math.round((n / max) * 340));
    return (
      `<text x="0" y="${y + 15}">${s}</text>` +
      `<rect x="80" y="${y}" width="${width}" height="20" rx="3" fill="${SEVERITY_COLORS[s]}"/>` +
      `<text x="${80 + width + 6}" y="${y + 15}">${n}</text>`
    );
  }).join("\n");
  const label = `Unsuppressed findings by severity: ${SEVERITIES.map((s, i) => `${counts[i]} ${s}`).join(", ")}`;
  return `<svg role="img" aria-labelledby="severity-chart-title" viewBox="0 0 480 ${height}" width="480" height="${height}">
<title id="severity-chart-title">${label}</title>
${bars}
</svg>`;
}

function scoreColor(score: number): string {
  return score >= 90 ? "#1a7f37" : score >= 70 ? "#c99400" : "#b3261e";
}

function frameworksChart(frameworks: readonly FrameworkResult[]): string {
  if (frameworks.length === 0) return '<p class="muted">No framework applies.</p>';
  const rowHeight = 46;
  const height = frameworks.length * rowHeight + 4;
  const rows = frameworks
    .map((fw, i) => {
      const y = 4 + i * rowHeight;
      const score = fw.score;
      const detail = `${fw.passed} passed, ${fw.failed} failed, ${fw.suppressed} suppressed, ${fw.notApplicable} not applicable`;
      const bar =
        score === null
          ? ""
          : `<rect x="0" y="${y + 20}" width="${Math.round(Math.min(100, Math.max(0, score)) * 4)}" height="14" rx="3" fill="${scoreColor(score)}"/>`;
      return (
        `<text x="0" y="${y + 13}">${escapeHtml(truncate(fw.title, 90))}</text>` +
        `<rect class="track" x="0" y="${y + 20}" width="400" height="14" rx="3"/>${bar}` +
        `<text x="410" y="${y + 32}">${score === null ? "n/a" : `${score.toFixed(1)}%`}</text>` +
        `<title>${escapeHtml(`${fw.title}: ${score === null ? "no control applies" : `${score}%`} (${detail})`)}</title>`
      );
    })
    .map((r) => `<g>${r}</g>`)
    .join("\n");
  const label = frameworks
    .map((fw) => `${fw.title} ${fw.score === null ? "n/a" : `${fw.score}%`}`)
    .join(", ");
  return `<svg role="img" aria-labelledby="frameworks-chart-title" viewBox="0 0 640 ${height}" width="640" height="${height}">
<title id="frameworks-chart-title">${escapeHtml(`Framework scores: ${label}`)}</title>
${rows}
</svg>`;
}

function locationCell(loc: { file: string; line: number }, baseUri: string | undefined): string {
  const label = `<code>${escapeHtml(locationLabel(loc))}</code>`;
  const href = fileLink(loc.file, loc.line, baseUri);
  return href ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
}

function findingRow(f: Finding, baseUri: string | undefined): string {
  return (
    `<tr class="${f.suppressed ? "suppressed" : "open"}" data-rank="${severityRank(f.severity)}" data-suppressed="${f.suppressed}">` +
    `<td><span class="badge sev-${f.severity}">${f.severity}</span></td>` +
    `<td><code>${escapeHtml(f.check)}</code></td>` +
    `<td>${escapeHtml(resourceLabel(f.resource))}</td>` +
    `<td>${escapeHtml(f.message)}</td>` +
    `<td>${locationCell(f.location, baseUri)}<br><span class="muted">${escapeHtml(f.path)}</span></td>` +
    `<td>${f.suppressed ? escapeHtml(suppressionNote(f)) : "open"}</td>` +
    "</tr>"
  );
}

function findingsSection(report: ScanReport, baseUri: string | undefined): string {
  const { open, suppressed } = sortedFindings(report);
  if (open.length + suppressed.length === 0)
    return '<h2 id="findings-heading">Findings</h2>\n<p>No findings.</p>';
  const options = [
    '<option value="0">all</option>',
    ...SEVERITIES.slice(0, -1).map(
      (s, i) => `<option value="${severityRank(s)}">${i === 0 ? s : `${s} and above`}</option>`,
    ),
  ].join("");
  return `<h2 id="findings-heading">Findings</h2>
<div id="controls" hidden>
<label>Filter <input id="q" type="search" placeholder="check, resource, message, file"></label>
<label>Severity <select id="sev">${options}</select></label>
<label><input id="sup" type="checkbox"> show suppressed (${suppressed.length})</label>
<span id="count" class="muted" aria-live="polite"></span>
</div>
<table id="findings" aria-labelledby="findings-heading">
<thead><tr><th>Severity</th><th>Check</th><th>Resource</th><th>Message</th><th>Location</th><th>Status</th></tr></thead>
<tbody>
${[...open, ...suppressed].map((f) => findingRow(f, baseUri)).join("\n")}
</tbody>
</table>`;
}

function errorsSection(report: ScanReport): string {
  if (report.errors.length === 0) return "";
  const rows = report.errors
    .map(
      (e) =>
        `<tr><td><code>${escapeHtml(positionLabel(e))}</code></td><td>${escapeHtml(e.message)}</td><td>${e.path ? `<code>${escapeHtml(e.path)}</code>` : ""}</td></tr>`,
    )
    .join("\n");
  return `<h2>Errors (${report.errors.length})</h2>
<p>These inputs could not be scanned completely.</p>
<table><thead><tr><th>Location</th><th>Error</th><th>Path</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function warningsSection(report: ScanReport): string {
  const warnings = allWarnings(report);
  if (warnings.length === 0) return "";
  return `<h2>Warnings</h2>\n<ul>\n${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("\n")}\n</ul>`;
}

function snapshotLine(report: ScanReport): string {
  const s = report.snapshot;
  if (!s) return "";
  const facts = [s.provider, s.serverVersion].filter((x): x is string => Boolean(x));
  return (
    `<p>Cluster snapshot${s.cluster ? ` of <strong>${escapeHtml(s.cluster)}</strong>` : ""}` +
    (facts.length ? ` (${escapeHtml(facts.join(", "))})` : "") +
    (s.capturedAt ? `, captured ${escapeHtml(s.capturedAt)}` : "") +
    ".</p>"
  );
}

/**
 * The report as one self-contained HTML page.
 *
 * @example
 * const page = renderHtml(report, { title: "payments-api @ 3f2c1e0" });
 */
export function renderHtml(report: ScanReport, opts: HtmlOptions = {}): string {
  const title = opts.title ?? "kubeguard report";
  const verdict = verdictWord(report);
  const o = report.options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}: ${verdict}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="verdict ${verdict}"><strong>kubeguard: ${verdict}</strong> (failOn ${escapeHtml(report.verdict.failOn)})</p>
<p>${countsSentence(report)}.</p>
${snapshotLine(report)}
<p class="muted">kubeguard ${escapeHtml(report.tool.version)} · Pod Security Standards ${escapeHtml(o.pssLevel)} (${escapeHtml(o.pssVersion)})</p>
</header>
<main>
<h2>Findings by severity</h2>
${severityChart(report)}
<h2>Framework scores</h2>
${frameworksChart(report.frameworks)}
${findingsSection(report, opts.baseUri)}
${errorsSection(report)}
${warningsSection(report)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
