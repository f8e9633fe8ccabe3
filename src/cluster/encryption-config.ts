/**
 * The control plane's EncryptionConfiguration (`--encryption-config PATH`): it lives on the
 * control-plane nodes, outside the API, so the user hands it over as a file. Every `secret` value (the
 * key material of aescbc, aesgcm and secretbox providers) is replaced with a placeholder before the
 * object enters a snapshot; provider order and key names, which the checks read, are kept.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KObject } from "../ingest/types.ts";
import { REDACTED_SECRET } from "../policies/encryption/util.ts";
import { EncryptionConfigError } from "./errors.ts";

/** What replaces every key's `secret` value. */
export const REDACTED = REDACTED_SECRET;

const ACCEPTED: Record<string, readonly string[]> = {
  EncryptionConfiguration: ["apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1beta1"],
  EncryptionConfig: ["v1"],
};

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "secret" && v !== null && typeof v !== "object" ? REDACTED : redact(v),
    ]),
  );
}

/**
 * Parse an EncryptionConfiguration text and return it with key material redacted.
 *
 * @throws EncryptionConfigError when the text is not YAML, not one mapping, or not an EncryptionConfiguration.
 * @example redactEncryptionConfig(text, "/etc/kubernetes/enc.yaml").resources
 */
export function redactEncryptionConfig(text: string, file: string): KObject {
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  const first = docs[0];
  if (docs.length !== 1 || !first) {
    throw new EncryptionConfigError(
      `${file}: expected one EncryptionConfiguration document, found ${docs.length}`,
    );
  }
  if (first.errors.length > 0) {
    const e = first.errors[0];
    const at = e?.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
    throw new EncryptionConfigError(
      `${file}: invalid YAML${at}: ${e?.message.split("\n")[0] ?? "parse error"}`,
    );
  }
  const value: unknown = first.toJS({ maxAliasCount: 100 });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EncryptionConfigError(`${file}: not a mapping`);
  }
  const obj = value as KObject;
  const kind = String(obj.kind ?? "");
  const versions = ACCEPTED[kind];
  if (!versions?.includes(String(obj.apiVersion ?? ""))) {
    throw new EncryptionConfigError(
      `${file}: not an EncryptionConfiguration (apiVersion apiserver.config.k8s.io/v1); found ` +
        `apiVersion ${JSON.stringify(obj.apiVersion ?? null)}, kind ${JSON.stringify(obj.kind ?? null)}`,
    );
  }
  if (!Array.isArray(obj.resources)) throw new EncryptionConfigError(`${file}: resources must be a list`);
  const { apiVersion, kind: _kind, metadata, ...rest } = redact(obj) as KObject;
  const meta = typeof metadata === "object" && metadata !== null ? (metadata as KObject) : {};
  return {
    apiVersion,
    kind,
    metadata: { ...meta, name: typeof meta.name === "string" ? meta.name : basename(file) },
    ...rest,
  };
}

/** Read and redact the EncryptionConfiguration at `path`. */
export async function readEncryptionConfig(path: string): Promise<KObject> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new EncryptionConfigError(
      `cannot read encryption config ${path}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
  return redactEncryptionConfig(text, path);
}
