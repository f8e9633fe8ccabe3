/**
 * secrets.credential-in-configmap: ConfigMaps are not meant for confidential data (no encryption at
 * rest, broad read access), yet credentials end up in them, often inside embedded config files.
 * Reads `data` and `binaryData` of every ConfigMap.
 */
import type { Resource } from "../../ingest/types.ts";
import { asObject } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import {
  CIS_BENCHMARK,
  decodeBase64,
  EXTERNAL_SECRETS,
  isLiteralValue,
  isSensitiveName,
  matchCredential,
  NSA_GUIDE,
  SECRETS_GOOD_PRACTICES,
} from "./util.ts";

/** `key = value`, `key: value`, `"key": "value",`, `export KEY=value` in an embedded config file. */
// The value is captured greedily and trimmed in code: a lazy capture before optional trailing parts backtracks badly.
const SETTING = /^\s*(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=](.*)$/;
const COMMENT = /^\s*(?:#|\/\/|;|--)/;
const MAX_SETTINGS_NAMED = 5;

/** Sensitive settings with literal values inside a multi-line value, as `"name" (line n)`. */
function embeddedSettings(text: string): string[] {
  const found: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && found.length < MAX_SETTINGS_NAMED; i++) {
    const line = lines[i] as string;
    if (COMMENT.test(line)) continue;
    const m = SETTING.exec(line);
    if (m && isSensitiveName(m[1] ?? "") && isLiteralValue((m[2] ?? "").trim().replace(/,$/, "")))
      found.push(`"${m[1]}" (line ${i + 1})`);
  }
  return found;
}

function evaluateValue(
  resource: Resource,
  field: "data" | "binaryData",
  key: string,
  raw: string,
): RawFinding | undefined {
  const text = field === "binaryData" ? decodeBase64(raw) : raw;
  if (text === undefined || text.trim() === "") return undefined;
  const who = `ConfigMap "${resource.name}" key "${key}"`;
  const path = [field, key];
  const pattern = matchCredential(text);
  if (pattern) {
    return {
      resource,
      path,
      message: `${who} has a value that looks like ${pattern.description}`,
      ...(pattern.critical ? { severity: "critical" as const } : {}),
    };
  }
  if (field === "binaryData") return undefined;
  const settings = text.includes("\n") ? embeddedSettings(text) : [];
  if (settings.length > 0) {
    return {
      resource,
      path,
      message: `${who} sets sensitive settings to literal values: ${settings.join(", ")}`,
    };
  }
  if (isSensitiveName(key) && isLiteralValue(text)) {
    return { resource, path, message: `${who} has a sensitive name and a literal value` };
  }
  return undefined;
}

export const credentialInConfigmap = defineCheck({
  id: "secrets.credential-in-configmap",
  scope: "resource",
  kinds: ["ConfigMap"],
  title: "Credential in a ConfigMap",
  severity: "high",
  description:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the description names the ${VAR} placeholder syntax.
    "Reads every entry of a ConfigMap's `data` and `binaryData` (base64-decoded). Fails when a value looks like a known credential (private key block, AWS access key ID, GitHub or Slack token, JSON Web Token, URL with `user:password@`); when a single-line `data` entry has a sensitive key name (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL … as in secrets.literal-credential-in-env) and a literal value; or when a multi-line `data` entry (an embedded properties, YAML, JSON or .env file) sets a sensitive setting (`db.password=…`, `token: …`) to a literal value (placeholders such as `${VAR}`, `{{ … }}`, `ENC(…)`, `vault:` references, booleans and file paths are not literals). Critical when a value looks like a private key or an AWS access key ID. One finding per entry, naming the key and the setting names, never the values.",
  remediation:
    "Move the credential into a Secret delivered by an external manager (ExternalSecret, SealedSecret or the Secrets Store CSI driver), reference it from the configuration, and rotate the exposed credential.",
  references: [
    { title: "ConfigMaps", url: "https://kubernetes.io/docs/concepts/configuration/configmap/" },
    SECRETS_GOOD_PRACTICES,
    EXTERNAL_SECRETS,
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.2", "microservices-hardening": "2-external-secrets" },
  evaluate(resource) {
    if (resource.apiVersion !== "v1") return [];
    const out: RawFinding[] = [];
    for (const field of ["data", "binaryData"] as const) {
      const entries = asObject(resource.object[field]);
      if (!entries) continue;
      for (const [key, raw] of Object.entries(entries)) {
        if (typeof raw !== "string") continue;
        const finding = evaluateValue(resource, field, key, raw);
        if (finding) out.push(finding);
      }
    }
    return out;
  },
});
