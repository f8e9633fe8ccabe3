/**
 * Tenant settings on the wire: exactly the `.kubeguard.yaml` schema (`configSchema` of
 * src/scan/config.ts), as JSON or as the YAML file itself. Validation reuses `describeConfigIssues`,
 * so a bad key gets the message the CLI gives, and check IDs must name checks of the registry.
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import { getCheck } from "../../../policies/registry.ts";
import { configSchema, describeConfigIssues, type KubeguardConfig } from "../../../scan/config.ts";
import { parseContentType } from "../../middleware/body-limit.ts";
import { ApiProblem, type ProblemError } from "../../problem.ts";
import { SettingsSchema } from "../../schemas.ts";

/** Media types `PUT /v1/settings` takes. */
export const SETTINGS_MEDIA_TYPES = [
  "application/json",
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
];

const decoder = new TextDecoder("utf-8", { fatal: true });

function invalid(errors: ProblemError[]): ApiProblem {
  const detail = errors.map((e) => `${e.path ?? "body"}: ${e.message}`).join("; ");
  return new ApiProblem("invalid-request", `Invalid settings: ${detail}`, { errors });
}

/** Check IDs the settings name that are neither a check nor an alias (`*` is allowed in exemptions). */
function unknownChecks(config: KubeguardConfig): ProblemError[] {
  const errors: ProblemError[] = [];
  const check = (id: string, path: string) => {
    if (!getCheck(id)) errors.push({ path, message: `unknown check "${id}" (see GET /v1/policies)` });
  };
  config.checks?.disabled?.forEach((id, i) => {
    check(id, `body.checks.disabled.${i}`);
  });
  for (const id of Object.keys(config.checks?.severity ?? {})) check(id, `body.checks.severity.${id}`);
  config.exemptions?.forEach((e, i) => {
    e.checks.forEach((id, j) => {
      if (id !== "*") check(id, `body.exemptions.${i}.checks.${j}`);
    });
  });
  return errors;
}

/**
 * Parses and validates a settings body (JSON or YAML).
 * @throws {ApiProblem} 415 for another media type, 400 naming every bad key or value
 */
export function parseSettingsBody(contentType: string, bytes: Uint8Array): KubeguardConfig {
  const { mediaType } = parseContentType(contentType);
  if (!SETTINGS_MEDIA_TYPES.includes(mediaType)) {
    throw new ApiProblem(
      "unsupported-media-type",
      `${mediaType ? `Content-Type ${mediaType} is not accepted` : "Content-Type is missing"}; send ${SETTINGS_MEDIA_TYPES.join(", ")}.`,
    );
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw invalid([{ path: "body", message: "not valid UTF-8" }]);
  }
  let value: unknown;
  if (mediaType === "application/json") {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw invalid([{ path: "body", message: `not valid JSON: ${(err as Error).message}` }]);
    }
  } else {
    try {
      value = parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      const pos = err instanceof YAMLParseError ? err.linePos?.[0] : undefined;
      throw invalid([
        {
          path: "body",
          ...(pos ? { line: pos.line, column: pos.col } : {}),
          message: `not valid YAML: ${(err as Error).message.split("\n")[0]}`,
        },
      ]);
    }
  }
  // An empty YAML file is "no settings", as for the CLI.
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalid([{ path: "body", message: "must be an object (a mapping)" }]);
  }
  const result = configSchema.safeParse(value);
  if (!result.success) {
    const messages = describeConfigIssues(result.error);
    throw invalid(
      result.error.issues.map((issue, i) => ({
        path: issue.path.length ? `body.${issue.path.join(".")}` : "body",
        // describeConfigIssues says `where: what`; the path is already in `path`.
        message: (messages[i] ?? issue.message).replace(/^[^:]*: /, ""),
      })),
    );
  }
  const unknown = unknownChecks(result.data);
  if (unknown.length > 0) throw invalid(unknown);
  return result.data;
}

/** Top-level keys whose value differs between two settings documents (for the audit log). */
export function changedKeys(before: KubeguardConfig, after: KubeguardConfig): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter(
      (k) =>
        JSON.stringify((before as Record<string, unknown>)[k]) !==
        JSON.stringify((after as Record<string, unknown>)[k]),
    )
    .sort();
}

/** The request body of `PUT /v1/settings`, documented (the route reads it raw for YAML). */
export const SETTINGS_REQUEST_BODY = {
  required: true,
  description:
    "The complete settings (they replace the previous ones): JSON, or a `.kubeguard.yaml` file as YAML. At most 64 KiB.",
  content: {
    "application/json": { schema: { $ref: "#/components/schemas/Settings" } },
    "application/yaml": {
      schema: { type: "string" as const, description: "A `.kubeguard.yaml` file." },
      example:
        "pssLevel: baseline\nfailOn: high\nexemptions:\n  - checks: [pss.host-namespaces]\n    namespace: kube-system\n    reason: node agents need the host network\n    until: 2026-12-31\n",
    },
    "application/x-yaml": { schema: { type: "string" as const } },
    "text/yaml": { schema: { type: "string" as const } },
  },
};

export type { KubeguardConfig };
export { SettingsSchema };
