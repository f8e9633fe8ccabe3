/**
 * etcd at rest: an aescbc, aesgcm or secretbox key must be random key material. A placeholder, a
 * passphrase or the example key from the Kubernetes documentation defeats the encryption. The key's
 * value never appears in a finding: messages name the key, paths point at the key entry.
 */
import type { KObject } from "../../ingest/types.ts";
import { asList, asObject, asString } from "../common/objects.ts";
import type { RawFinding, Severity } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  describeObject,
  ETCD_CONFIG_FRAMEWORKS,
  encryptionConfigs,
  LOCAL_KEY_PROVIDERS,
  REDACTED_SECRET,
  REF,
  readProviders,
} from "./util.ts";

/** Keys published in the Kubernetes documentation's EncryptionConfiguration examples. */
const DOCUMENTED_KEYS = new Set([
  "c2VjcmV0IGlzIHNlY3VyZQ==",
  "dGhpcyBpcyBwYXNzd29yZA==",
  "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=",
  "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==",
  "c2VjcmV0IGlzIHNlY3VyZSwgSSB0aGluaw==",
]);

const KEY_SIZES: Record<(typeof LOCAL_KEY_PROVIDERS)[number], readonly number[]> = {
  aescbc: [16, 24, 32],
  aesgcm: [16, 24, 32],
  secretbox: [32],
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 (Go's StdEncoding: padding required, CR and LF ignored) to bytes; undefined when invalid. */
function decodeBase64(s: string): number[] | undefined {
  const text = s.replace(/[\r\n]/g, "");
  if (!BASE64.test(text)) return undefined;
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of text) {
    if (ch === "=") break;
    acc = (acc << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return out;
}

/** What is wrong with a key's secret, or undefined when it looks like random key material. */
function problem(
  secret: unknown,
  type: (typeof LOCAL_KEY_PROVIDERS)[number],
): { what: string; severity?: Severity } | undefined {
  const s = asString(secret);
  if (s === REDACTED_SECRET) return undefined;
  if (s === undefined || s.trim() === "") return { what: "has no secret" };
  if (DOCUMENTED_KEYS.has(s.replace(/[\r\n]/g, ""))) {
    return {
      what: "uses the example key published in the Kubernetes documentation: anyone can decrypt what it encrypts",
      severity: "high",
    };
  }
  const bytes = decodeBase64(s);
  const sizes = KEY_SIZES[type];
  if (!bytes)
    return { what: "has a secret that is not base64 (a placeholder?); kube-apiserver refuses to start" };
  if (!sizes.includes(bytes.length)) {
    const want = sizes.length === 1 ? "32-byte" : "16-, 24- or 32-byte";
    return { what: `has a secret that is not a ${want} key; kube-apiserver refuses to start` };
  }
  if (bytes.every((b) => b === bytes[0]))
    return { what: "has a secret of one repeated byte (a placeholder)" };
  if (bytes.every((b) => b >= 0x20 && b < 0x7f)) {
    return { what: "has a secret that decodes to printable text (a passphrase, not random key material)" };
  }
  return undefined;
}

export const etcdPlaceholderKey = defineCheck({
  id: "encryption.etcd-placeholder-key",
  scope: "cluster",
  title: "Encryption key is a placeholder, a passphrase or a published example",
  severity: "low",
  description:
    "Reads resources[].providers[].{aescbc,aesgcm,secretbox}.keys[] of every EncryptionConfiguration (apiserver.config.k8s.io/v1, legacy v1 EncryptionConfig). Each key's `secret` must be standard base64 of random bytes: 16, 24 or 32 bytes for aescbc and aesgcm, 32 for secretbox. Reported: a missing secret, a value that is not base64 or has the wrong length (placeholders such as `<BASE 64 ENCODED SECRET>`; kube-apiserver refuses to start), one repeated byte, text that is all printable (a passphrase), and — at high severity — a key copied from the Kubernetes documentation's examples. The secret's value never appears in a finding.",
  remediation:
    "Generate each key with `head -c 32 /dev/urandom | base64`, keep the configuration file out of version control (or use a kms provider with apiVersion: v2 so no key is stored on the control plane), restart kube-apiserver, and rewrite existing Secrets with `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`.",
  references: [REF.encryptData, REF.encryptionConfigApi, REF.cis],
  frameworks: ETCD_CONFIG_FRAMEWORKS,
  applies: (ctx) => encryptionConfigs(ctx).length > 0,
  evaluate(ctx) {
    const findings: RawFinding[] = [];
    for (const config of encryptionConfigs(ctx)) {
      asList(config.object.resources).forEach((e, i) => {
        const entry = asObject(e);
        if (!entry) return;
        for (const provider of readProviders(entry, ["resources", i])) {
          const type = LOCAL_KEY_PROVIDERS.find((t) => t === provider.type);
          if (!type) continue;
          asList(provider.body.keys).forEach((k, j) => {
            const key: KObject = asObject(k) ?? {};
            const found = problem(key.secret, type);
            if (!found) return;
            const name = asString(key.name);
            findings.push({
              resource: config,
              path: [...provider.path, "keys", j],
              message: `${describeObject(config)} resources[${i}].providers[${provider.index}].${type} key ${name ? `"${name}"` : `keys[${j}]`} ${found.what}`,
              ...(found.severity ? { severity: found.severity } : {}),
            });
          });
        }
      });
    }
    return findings;
  },
});
