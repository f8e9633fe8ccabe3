/**
 * The report formats, their media types and file extensions, and content negotiation: which format an
 * HTTP `Accept` header asks for (RFC 9110 §12.5.1, with q-values and wildcards).
 */

/** Every format, in the order preferred when an `Accept` header ranks several equally. */
export const REPORT_FORMATS = ["json", "sarif", "junit", "markdown", "html", "table"] as const;

/** A report format: `json` (the schemaVersion 1 document), SARIF 2.1.0, JUnit XML, Markdown, HTML, or the CLI's table. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The `Content-Type` each format is served with. */
export const MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: "application/json",
  sarif: "application/sarif+json",
  junit: "application/xml",
  markdown: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  table: "text/plain; charset=utf-8",
};

/** The usual file extension of each format (for `--output` names and `Content-Disposition`). */
export const FILE_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  json: ".json",
  sarif: ".sarif",
  junit: ".xml",
  markdown: ".md",
  html: ".html",
  table: ".txt",
};

/** Media types (without parameters) that select each format: the canonical one, then aliases. */
const ACCEPTED_TYPES: Readonly<Record<ReportFormat, readonly string[]>> = {
  json: ["application/json"],
  sarif: ["application/sarif+json"],
  junit: ["application/xml", "text/xml", "application/junit+xml"],
  markdown: ["text/markdown", "text/x-markdown"],
  html: ["text/html"],
  table: ["text/plain"],
};

/** Whether a string names a report format. */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** Position in the header, for ties. */
  order: number;
}

/** Split on `sep` outside double-quoted strings. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === "\\" && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  splitOutsideQuotes(accept, ",").forEach((part, order) => {
    const [range = "", ...params] = splitOutsideQuotes(part, ";").map((p) => p.trim());
    const [type = "", subtype = "", extra] = range.toLowerCase().split("/");
    if (extra !== undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return;
    if (type === "*" && subtype !== "*") return;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
      const value = param.slice(eq + 1).trim();
      // A malformed weight makes the whole range unusable rather than silently preferred.
      q = QVALUE.test(value) ? Number(value) : -1;
      break;
    }
    if (q >= 0) ranges.push({ type, subtype, q, order });
  });
  return ranges;
}

/** Specificity of a range for a media type: 2 exact, 1 `type/*`, 0 `*\/*`, -1 no match. */
function specificity(range: MediaRange, mediaType: string): number {
  const [type, subtype] = mediaType.split("/");
  if (range.type === "*") return 0;
  if (range.type !== type) return -1;
  if (range.subtype === "*") return 1;
  return range.subtype === subtype ? 2 : -1;
}

interface Weight {
  q: number;
  specificity: number;
  order: number;
}

/** The weight the header gives a media type: that of the most specific range matching it. */
function weightOf(ranges: readonly MediaRange[], mediaType: string, exactOnly: boolean): Weight | undefined {
  let best: Weight | undefined;
  for (const range of ranges) {
    const s = specificity(range, mediaType);
    if (s < 0 || (exactOnly && s < 2)) continue;
    if (!best || s > best.specificity || (s === best.specificity && range.q > best.q)) {
      best = { q: range.q, specificity: s, order: range.order };
    }
  }
  return best;
}

/**
 * The format an `Accept` header prefers, or undefined when it accepts none of them (answer 406, or fall
 * back to JSON, as the caller decides). The most specific range decides each type's weight; the highest
 * weight wins, then an exact match over a wildcard, then the earlier range, then `REPORT_FORMATS` order.
 *
 * @example
 * formatFromAccept("text/html,application/xhtml+xml,application/xml;q=0.9,*\/*;q=0.8"); // "html"
 * formatFromAccept("application/sarif+json"); // "sarif"
 * formatFromAccept("*\/*"); // "json"
 */
export function formatFromAccept(accept: string): ReportFormat | undefined {
  const ranges = parseAccept(accept);
  let best: (Weight & { format: ReportFormat }) | undefined;
  for (const format of REPORT_FORMATS) {
    ACCEPTED_TYPES[format].forEach((mediaType, i) => {
      // Aliases (text/xml for JUnit) count only when named: `text/*` must not mean JUnit.
      const w = weightOf(ranges, mediaType, i > 0);
      if (!w || w.q === 0) return;
      const better =
        !best ||
        w.q > best.q ||
        (w.q === best.q && w.specificity > best.specificity) ||
        (w.q === best.q && w.specificity === best.specificity && w.order < best.order);
      if (better) best = { ...w, format };
    });
  }
  return best?.format;
}
