/**
 * etcd at rest: KMS v1 is deprecated since Kubernetes 1.28 and disabled by default since 1.29 (the
 * KMSv1 feature gate); KMS v2 is GA since 1.29 and is the recommended provider.
 */
import { defineCheck } from "../types.ts";
import {
  describeRule,
  ETCD_CONFIG_FRAMEWORKS,
  encryptionConfigs,
  kmsApiVersion,
  REF,
  secretsRule,
  shadowedNote,
} from "./util.ts";

export const etcdKmsV1 = defineCheck({
  id: "encryption.etcd-kms-v1",
  scope: "cluster",
  title: "Secrets encrypted with the deprecated KMS v1 provider",
  severity: "medium",
  description:
    "Reads every EncryptionConfiguration (apiserver.config.k8s.io/v1, legacy v1 EncryptionConfig) and takes the first resources[] entry covering Secrets (`secrets`, `secrets.`, `*.` or `*.*`). When its providers[0] is `kms`, `kms.apiVersion` must be `v2`; an unset apiVersion defaults to `v1`. KMS v1 is deprecated since Kubernetes 1.28, disabled by default since 1.29 (kube-apiserver then refuses to start unless the KMSv1 feature gate is on), and calls the KMS for every write where v2 reuses a data-encryption key seed. Other apiVersion values are invalid and not judged here.",
  remediation:
    "Run a KMS v2 plugin and set `apiVersion: v2` on the kms provider (as a new first provider, keeping the v1 provider after it until every Secret has been rewritten with `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`).",
  references: [REF.kms, REF.encryptData, REF.encryptionConfigApi, REF.cis],
  frameworks: ETCD_CONFIG_FRAMEWORKS,
  applies: (ctx) => encryptionConfigs(ctx).length > 0,
  evaluate(ctx) {
    return encryptionConfigs(ctx).flatMap((config) => {
      const rule = secretsRule(config.object);
      const first = rule?.providers[0];
      if (!rule || !first || first.index !== 0 || first.type !== "kms") return [];
      const version = kmsApiVersion(first);
      if (version.value !== "v1") return [];
      const how = version.explicit
        ? `kms.apiVersion "${version.value}"`
        : "kms.apiVersion unset, which means v1";
      return [
        {
          resource: config,
          path: version.explicit ? [...first.path, "apiVersion"] : first.path,
          message: `${describeRule(config, rule)} encrypts new Secrets with KMS v1 (${how}): deprecated since Kubernetes 1.28 and disabled by default since 1.29; use apiVersion: v2${shadowedNote(rule)}`,
        },
      ];
    });
  },
});
