/**
 * etcd at rest: aescbc and aesgcm encrypt with a key kept in a file on the control plane, and each has
 * a known weakness; KMS v2 (envelope encryption with an external key) or secretbox are preferred.
 */
import { defineCheck } from "../types.ts";
import {
  describeRule,
  ETCD_CONFIG_FRAMEWORKS,
  encryptionConfigs,
  REF,
  secretsRule,
  shadowedNote,
} from "./util.ts";

const WHY = {
  aescbc:
    "AES-CBC with PKCS#7 padding is vulnerable to padding-oracle attacks and is no longer recommended; prefer kms with apiVersion: v2, or secretbox",
  aesgcm:
    "AES-GCM with random nonces needs its key rotated every 200,000 writes, and the key sits in a file on the control plane; prefer kms with apiVersion: v2",
} as const;

export const etcdWeakProvider = defineCheck({
  id: "encryption.etcd-weak-provider",
  scope: "cluster",
  title: "Secrets encrypted with aescbc or aesgcm",
  severity: "medium",
  description:
    "Reads every EncryptionConfiguration (apiserver.config.k8s.io/v1, legacy v1 EncryptionConfig) and takes the first resources[] entry covering Secrets (`secrets`, `secrets.`, `*.` or `*.*`). Its providers[0] encrypts new writes. `aescbc` fails (padding-oracle attacks), `aesgcm` fails (must be rotated every 200,000 writes). `kms` with apiVersion v2 and `secretbox` pass; `identity` and KMS v1 are reported by their own checks.",
  remediation:
    "Put a kms provider with apiVersion: v2 (envelope encryption with a key held by an external KMS) first, or secretbox if no KMS is available; keep the old provider after it until every Secret has been rewritten (`kubectl get secrets --all-namespaces -o json | kubectl replace -f -`).",
  references: [REF.encryptData, REF.kms, REF.encryptionConfigApi, REF.cis],
  frameworks: ETCD_CONFIG_FRAMEWORKS,
  applies: (ctx) => encryptionConfigs(ctx).length > 0,
  evaluate(ctx) {
    return encryptionConfigs(ctx).flatMap((config) => {
      const rule = secretsRule(config.object);
      const first = rule?.providers[0];
      if (!rule || !first || first.index !== 0) return [];
      if (first.type !== "aescbc" && first.type !== "aesgcm") return [];
      return [
        {
          resource: config,
          path: first.path,
          message: `${describeRule(config, rule)} encrypts new Secrets with ${first.type} (providers[0]): ${WHY[first.type]}${shadowedNote(rule)}`,
        },
      ];
    });
  },
});
