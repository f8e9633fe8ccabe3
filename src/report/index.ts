/**
 * The report module: pure functions that render a scan report in the formats CI platforms and people
 * read — JSON, SARIF (GitHub code scanning), JUnit XML (GitLab, Jenkins), Markdown (pull-request
 * comments), HTML (one self-contained page) and the CLI's table — plus content negotiation. Runs
 * unchanged in the CLI, on Node and in Workers.
 */
import { CHECKS, getCheck } from "../policies/registry.ts";
import type { ScanReport } from "../scan/types.ts";
import type { ReportFormat } from "./formats.ts";
import { renderHtml } from "./html.ts";
import { renderJson } from "./json.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderSarif } from "./sarif.ts";
import type { CheckCatalog, RenderOptions } from "./shared.ts";
import { renderTable } from "./table.ts";

export {
  FILE_EXTENSIONS,
  formatFromAccept,
  isReportFormat,
  MEDIA_TYPES,
  REPORT_FORMATS,
  type ReportFormat,
} from "./formats.ts";
export { type CheckCatalog, catalogOf, type RenderOptions } from "./shared.ts";

/** The check registry as rule metadata: whatever checks it holds when a report is rendered. */
export const REGISTRY_CATALOG: CheckCatalog = { checks: CHECKS, get: getCheck };

/**
 * Render a scan report in a format. Pure: the same report and options always give the same text
 * (except JUnit's timestamp, which defaults to now when neither `opts.timestamp` nor a snapshot time
 * is known).
 *
 * @example
 * const body = renderReport(report, "sarif", { baseUri: "file:///home/ci/repo/" });
 * return new Response(body, { headers: { "content-type": MEDIA_TYPES.sarif } });
 */
export function renderReport(report: ScanReport, format: ReportFormat, opts: RenderOptions = {}): string {
  const catalog = opts.catalog ?? REGISTRY_CATALOG;
  switch (format) {
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, catalog, opts.baseUri);
    case "junit":
      return renderJunit(report, catalog, { timestamp: opts.timestamp, hostname: opts.hostname });
    case "markdown":
      return renderMarkdown(report, { title: opts.title, baseUri: opts.baseUri, maxLength: opts.maxLength });
    case "html":
      return renderHtml(report, { title: opts.title, baseUri: opts.baseUri });
    case "table":
      return renderTable(report, { color: opts.color });
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format: ${String(unknown)}`);
    }
  }
}
