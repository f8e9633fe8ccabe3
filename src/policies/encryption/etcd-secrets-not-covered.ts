/**
 * etcd at rest: an EncryptionConfiguration must cover Secrets, or the API server stores them unencrypted
 * (identity) whatever else the file says.
 */
import { defineCheck } from "../types.ts";
import { describeObject, ETCD_CONFIG_FRAMEWORKS, encryptionConfigs, REF, secretsRule } from "./util.ts";

export const etcdSecretsNotCovered = defineCheck({
  id: "encryption.etcd-secrets-not-covered",
  scope: "cluster",
  title: "EncryptionConfiguration does not cover Secrets",
  severity: "critical",
  description:
    "Reads every EncryptionConfiguration (apiserver.config.k8s.io/v1, and the legacy v1 EncryptionConfig) in the upload or snapshot. Secrets are encrypted only when some resources[].resources list names them: `secrets` (or `secrets.`, the core group written out), `*.` (every core-group resource) or `*.*` (every resource). Any other name, such as `*.apps` or `secrets.example.com`, does not cover core Secrets; uncovered resources are written in plaintext.",
  remediation:
    "Add an entry whose resources list `secrets` (or `*.`/`*.*`) with a strong first provider (kms with apiVersion: v2, or secretbox), restart kube-apiserver, then rewrite existing Secrets with `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`.",
  references: [REF.encryptData, REF.encryptionConfigApi, REF.nsa, REF.cis],
  frameworks: ETCD_CONFIG_FRAMEWORKS,
  applies: (ctx) => encryptionConfigs(ctx).length > 0,
  evaluate(ctx) {
    return encryptionConfigs(ctx)
      .filter((config) => !secretsRule(config.object))
      .map((config) => ({
        resource: config,
        path: Array.isArray(config.object.resources) ? ["resources"] : [],
        message: `${describeObject(config)} does not list secrets in any resources[].resources (secrets, secrets., *. or *.*): Secrets are stored in etcd in plaintext`,
      }));
  },
});
