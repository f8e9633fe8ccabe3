/**
 * From a checked request body to the engine's inputs, and from inputs to a report: YAML and JSON bodies
 * are one file each; every part of a multipart body is a file named by its filename. A body with no
 * usable document is a 422 problem whose `errors[]` carry file, document, line and column.
 */
import type { InputFile } from "../ingest/types.ts";
import type { KubeguardConfig } from "../scan/config.ts";
import { scanInputs } from "../scan/run.ts";
import type { ScanOptions, ScanReport } from "../scan/types.ts";
import { ApiProblem, type ProblemError } from "./problem.ts";
import type { ScanGate } from "./scan-gate.ts";
import type { AppDeps, RequestBody } from "./types.ts";

/** The file name a single YAML or JSON body gets in the report. */
export const BODY_FILE = { yaml: "manifest.yaml", json: "manifest.json" } as const;

const decoder = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ApiProblem("no-usable-document", `${file} is not valid UTF-8.`, {
      errors: [{ file, line: 1, column: 1, message: "not valid UTF-8" }],
    });
  }
}

/**
 * A report-friendly path from an uploaded file name: forward slashes, no leading `/` or `./`, no
 * control characters. The name is only a label in reports; nothing is ever read from or written to it.
 */
export function uploadPath(name: string, fallback: string): string {
  const cleaned = name
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/\\/g, "/")
    .replace(/^(\.?\/)+/, "")
    .replace(/\/{2,}/g, "/")
    .slice(0, 1024);
  return cleaned || fallback;
}

/** The inputs a body carries. */
export async function bodyInputs(body: RequestBody): Promise<InputFile[]> {
  if (body.mediaType === "application/json") {
    return [{ file: BODY_FILE.json, text: decode(body.bytes, BODY_FILE.json) }];
  }
  if (body.mediaType !== "multipart/form-data") {
    return [{ file: BODY_FILE.yaml, text: decode(body.bytes, BODY_FILE.yaml) }];
  }
  let form: FormData;
  try {
    form = await new Response(body.bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": body.contentType },
    }).formData();
  } catch {
    throw new ApiProblem(
      "invalid-request",
      "The multipart/form-data body is malformed (check the boundary).",
    );
  }
  const inputs: InputFile[] = [];
  let n = 0;
  for (const [field, value] of form.entries()) {
    n++;
    if (typeof value === "string") {
      const file = uploadPath(field, `part-${n}.yaml`);
      inputs.push({ file, text: value });
    } else {
      const file = uploadPath(value.name || field, `part-${n}.yaml`);
      inputs.push({ file, text: decode(new Uint8Array(await value.arrayBuffer()), file) });
    }
  }
  return inputs;
}

function hasContent(text: string): boolean {
  // Blank lines, comments and bare document markers carry nothing to scan. Line by line, stopping at
  // the first that does: usually the first line, without splitting a large body.
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    const t = text.slice(start, end).trim();
    if (t !== "" && !t.startsWith("#") && t !== "---" && t !== "...") return true;
    start = end + 1;
  }
  return false;
}

/**
 * Runs the engine on a request's inputs with the deployment's ingest limits, through the app's gate.
 * `settings` are the tenant's policy settings: explicit `options` win over them, and their exemptions
 * suppress with source `settings`.
 * @throws {ApiProblem} 422 when nothing in the body could be scanned
 */
export async function scanBody(
  deps: AppDeps,
  gate: ScanGate,
  inputs: InputFile[],
  options: Partial<ScanOptions>,
  now: Date,
  settings?: KubeguardConfig,
): Promise<ScanReport> {
  if (!inputs.some((i) => hasContent(i.text))) {
    const first = inputs[0]?.file;
    throw new ApiProblem("no-usable-document", "The body is empty: send at least one Kubernetes manifest.", {
      errors: [{ ...(first ? { file: first } : {}), line: 1, column: 1, message: "no document" }],
    });
  }
  const report = await gate.run(() =>
    scanInputs({
      inputs,
      options,
      limits: deps.config.limits,
      now,
      ...(settings ? { config: settings, configSource: "settings" as const } : {}),
    }),
  );
  if (report.resources.length === 0 && report.errors.length > 0 && !report.snapshot) {
    const errors: ProblemError[] = report.errors.map((e) => ({
      file: e.file,
      ...(e.document !== undefined ? { document: e.document } : {}),
      line: e.line,
      column: e.column,
      ...(e.path !== undefined ? { path: e.path } : {}),
      message: e.message,
    }));
    const first = errors[0];
    throw new ApiProblem(
      "no-usable-document",
      `No usable Kubernetes document in the body${first ? `: ${first.file}:${first.line}:${first.column}: ${first.message}` : ""}.`,
      { errors },
    );
  }
  return report;
}
