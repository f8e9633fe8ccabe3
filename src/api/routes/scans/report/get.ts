/**
 * GET /v1/scans/{id}/report — the scan's report as JSON (the CLI's schemaVersion 1 document), SARIF
 * 2.1.0, JUnit XML, Markdown or HTML, chosen by `format` or else by `Accept`. Rendered on request from
 * the stored report by the same module the CLI uses.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { FILE_EXTENSIONS, formatFromAccept, MEDIA_TYPES, renderReport } from "../../../../report/index.ts";
import { requireScope, scopeProblemResponse, scopeSecurity } from "../../../middleware/scope.ts";
import { problemResponses } from "../../../problem.ts";
import { IdParams, ScanReportSchema } from "../../../schemas.ts";
import type { App } from "../../../types.ts";
import { scanNotFound } from "../get.ts";

/** The report formats the API serves (the CLI's `table` is for terminals only). */
export const API_REPORT_FORMATS = ["json", "sarif", "junit", "markdown", "html"] as const;
export type ApiReportFormat = (typeof API_REPORT_FORMATS)[number];

const DESCRIPTIONS: Record<ApiReportFormat, string> = {
  json: "The JSON report, schemaVersion 1.",
  sarif: "SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.",
  junit: "JUnit XML for GitLab, Jenkins and other CI test reports.",
  markdown: "Markdown for a pull-request comment.",
  html: "One self-contained HTML page.",
};

const reportContent = Object.fromEntries(
  API_REPORT_FORMATS.map((format) => [
    MEDIA_TYPES[format],
    format === "json"
      ? { schema: ScanReportSchema }
      : {
          schema: {
            type: "string" as const,
            description: DESCRIPTIONS[format],
            ...(format === "sarif" ? { contentMediaType: MEDIA_TYPES.sarif } : {}),
          },
        },
  ]),
);

/** The OpenAPI definition of GET /v1/scans/{id}/report. */
export const route = createRoute({
  method: "get",
  path: "/v1/scans/{id}/report",
  operationId: "getScanReport",
  tags: ["scans"],
  summary: "Get a scan's report",
  description:
    "Renders the stored scan as `json` (exactly the CLI's `schemaVersion` 1 document), `sarif` (SARIF 2.1.0), `junit` (JUnit XML), `markdown` or `html`. `format` wins over the `Accept` header (e.g. `Accept: application/sarif+json` or `text/html`); without either, or when `Accept` names none of these, the answer is JSON.",
  security: scopeSecurity("read"),
  middleware: [requireScope("read")] as const,
  request: {
    params: IdParams,
    query: z.object({
      format: z
        .enum(API_REPORT_FORMATS)
        .optional()
        .openapi({
          param: { description: "Report format; when absent, chosen from the Accept header (default json)." },
          example: "sarif",
        }),
    }),
  },
  responses: {
    200: {
      description: "The report in the chosen format.",
      headers: z.object({ Vary: z.string().openapi({ example: "Accept" }) }),
      content: reportContent,
    },
    ...scopeProblemResponse("read"),
    ...problemResponses(400, 401, 404, 429, 500),
  },
});

/** The format `Accept` asks for, limited to the API's formats; JSON when nothing matches. */
export function negotiateFormat(accept: string | undefined): ApiReportFormat {
  if (!accept) return "json";
  const format = formatFromAccept(accept);
  return format && (API_REPORT_FORMATS as readonly string[]).includes(format)
    ? (format as ApiReportFormat)
    : "json";
}

/** Registers GET /v1/scans/{id}/report on the app. */
export function registerGetScanReport(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const format = c.req.valid("query").format ?? negotiateFormat(c.req.header("accept"));
    const stored = await c.var.deps.store.scans.report(c.var.auth.tenantId, id);
    if (!stored) throw scanNotFound(id);
    // The scan's own time, so a stored scan renders the same JUnit document every time.
    const body = renderReport(stored.report, format, { timestamp: stored.createdAt });
    return c.body(body, 200, {
      "Content-Type": MEDIA_TYPES[format],
      "Content-Disposition": `inline; filename="kubeguard-${id}${FILE_EXTENSIONS[format]}"`,
      Vary: "Accept",
    });
  });
}
