/**
 * secrets.plaintext-secret-in-manifest: a Secret with values in an uploaded manifest is a secret
 * committed to version control (base64 is an encoding, not encryption). Reads `data` and `stringData`
 * of core v1 Secrets; never runs on a cluster snapshot, whose Secrets are metadata only.
 */
import type { Resource } from "../../ingest/types.ts";
import { asObject } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import {
  CIS_BENCHMARK,
  decodeBase64,
  EXTERNAL_SECRETS,
  isCoreSecret,
  matchCredential,
  NSA_GUIDE,
  SEALED_SECRETS,
  SECRETS_GOOD_PRACTICES,
  SECRETS_STORE_CSI,
} from "./util.ts";

const MAX_KEYS_NAMED = 10;

function quoteKeys(keys: readonly string[]): string {
  const named = keys.slice(0, MAX_KEYS_NAMED).map((k) => `"${k}"`);
  const rest = keys.length - named.length;
  return named.join(", ") + (rest > 0 ? ` and ${rest} more` : "");
}

function findingFor(resource: Resource, field: "data" | "stringData"): RawFinding | undefined {
  const values = asObject(resource.object[field]);
  if (!values) return undefined;
  const keys: string[] = [];
  const critical: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    if (typeof raw !== "string" || raw.trim() === "") continue;
    keys.push(key);
    const text = field === "data" ? (decodeBase64(raw) ?? raw) : raw;
    const pattern = matchCredential(text);
    if (pattern?.critical && critical.length < MAX_KEYS_NAMED)
      critical.push(`key "${key}" looks like ${pattern.description}`);
  }
  if (keys.length === 0) return undefined;
  const count = keys.length === 1 ? "1 value" : `${keys.length} values`;
  return {
    resource,
    path: [field],
    message:
      `Secret "${resource.name}" carries ${count} in ${field} (${keys.length === 1 ? "key" : "keys"} ${quoteKeys(keys)}) in the manifest` +
      (critical.length > 0 ? `; ${critical.join(", ")}` : ""),
    ...(critical.length > 0 ? { severity: "critical" as const } : {}),
  };
}

export const plaintextSecretInManifest = defineCheck({
  id: "secrets.plaintext-secret-in-manifest",
  scope: "cluster",
  title: "Secret values committed in a manifest",
  severity: "high",
  description:
    "Reads `data` and `stringData` of every core v1 `kind: Secret` in an upload; a field with at least one non-empty value fails (one finding per field, naming the keys, never the values). Severity is critical when a value (base64-decoded for `data`) looks like a private key block or an AWS access key ID. A `kubernetes.io/service-account-token` Secret without data passes, like any Secret without values. Does not apply to cluster snapshots, whose Secrets carry metadata only.",
  remediation:
    "Remove the Secret from the repository, rotate every value it held, and deliver it with an ExternalSecret (External Secrets Operator), a SealedSecret or the Secrets Store CSI driver.",
  references: [
    SECRETS_GOOD_PRACTICES,
    EXTERNAL_SECRETS,
    SEALED_SECRETS,
    SECRETS_STORE_CSI,
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.2", "microservices-hardening": "2-external-secrets" },
  applies: (ctx) => !ctx.inventory.snapshot,
  evaluate(ctx) {
    if (ctx.inventory.snapshot) return [];
    const out: RawFinding[] = [];
    for (const r of ctx.inventory.byKind("Secret")) {
      if (!isCoreSecret(r)) continue;
      const data = findingFor(r, "data");
      if (data) out.push(data);
      const stringData = findingFor(r, "stringData");
      if (stringData) out.push(stringData);
    }
    return out;
  },
});
