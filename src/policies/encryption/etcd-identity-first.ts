/**
 * etcd at rest: the first provider of the rule that covers Secrets is the one that encrypts new writes.
 * `identity` first means plaintext writes, whatever follows it: `[identity, aescbc]` only decrypts.
 */
import { defineCheck } from "../types.ts";
import {
  describeRule,
  ETCD_CONFIG_FRAMEWORKS,
  encryptionConfigs,
  laterProvidersNote,
  REF,
  secretsRule,
  shadowedNote,
} from "./util.ts";

export const etcdIdentityFirst = defineCheck({
  id: "encryption.etcd-identity-first",
  scope: "cluster",
  title: "Secrets written to etcd in plaintext (identity is the first provider)",
  severity: "critical",
  description:
    "Reads every EncryptionConfiguration (apiserver.config.k8s.io/v1, legacy v1 EncryptionConfig) and takes the rule the API server uses for Secrets: the first resources[] entry whose resources name `secrets`, `secrets.`, `*.` or `*.*` (the first match wins; later entries never apply to Secrets). The API server writes with that entry's providers[0] and only tries the others when reading. providers[0] `identity` fails, whatever follows it: `[identity, aescbc]` writes new Secrets in plaintext. `[aescbc, identity]` (the usual migration form) is judged by aescbc.",
  remediation:
    "Move identity to the end of the providers list (keep it only to read data written before encryption was enabled), put kms (apiVersion: v2) or secretbox first, restart kube-apiserver, and rewrite existing Secrets with `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`.",
  references: [REF.encryptData, REF.encryptionConfigApi, REF.nsa, REF.cis],
  frameworks: ETCD_CONFIG_FRAMEWORKS,
  applies: (ctx) => encryptionConfigs(ctx).length > 0,
  evaluate(ctx) {
    return encryptionConfigs(ctx).flatMap((config) => {
      const rule = secretsRule(config.object);
      const first = rule?.providers[0];
      if (!rule || first?.type !== "identity" || first.index !== 0) return [];
      return [
        {
          resource: config,
          path: first.path,
          message: `${describeRule(config, rule)} has identity as providers[0]: new Secrets are written to etcd in plaintext${laterProvidersNote(rule)}${shadowedNote(rule)}`,
        },
      ];
    });
  },
});
