/**
 * etcd at rest: kube-apiserver points at an encryption configuration the input does not hold, or a
 * self-managed cluster's snapshot holds neither the API server nor its configuration. Whether Secrets
 * are encrypted, and how well, cannot be told: reported as info, not as a failure.
 */
import { describeContainer } from "../common/containers.ts";
import type { CheckContext, RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  anchorResource,
  describeObject,
  encryptionConfigs,
  kubeApiServers,
  managedControlPlane,
  REF,
} from "./util.ts";

function findings(ctx: CheckContext): RawFinding[] {
  if (encryptionConfigs(ctx).length > 0) return [];
  const servers = kubeApiServers(ctx);
  if (servers.length === 0) {
    if (!ctx.inventory.snapshot || managedControlPlane(ctx)) return [];
    const anchor = anchorResource(ctx);
    if (!anchor) return [];
    return [
      {
        resource: anchor,
        path: [],
        message:
          "The cluster snapshot holds neither a kube-apiserver Pod nor an EncryptionConfiguration: etcd encryption at rest cannot be verified (snapshot with --encryption-config, or scan the control plane's /etc/kubernetes/manifests and encryption configuration)",
      },
    ];
  }
  return servers.flatMap((a) => {
    const flag = a.encryptionConfig;
    if (!flag || flag.value.trim() === "") return [];
    return [
      {
        resource: a.resource,
        path: flag.path,
        message: `${describeObject(a.resource)} ${describeContainer(a.container)} sets --encryption-provider-config=${flag.value} but the input holds no EncryptionConfiguration: its providers cannot be verified (add the file to the scan, or snapshot with --encryption-config)`,
      },
    ];
  });
}

export const etcdConfigUnverified = defineCheck({
  id: "encryption.etcd-config-unverified",
  scope: "cluster",
  title: "etcd encryption configuration not in the input: cannot verify",
  severity: "info",
  description:
    "Reported when a kube-apiserver container sets `--encryption-provider-config` but the upload or snapshot holds no EncryptionConfiguration (apiserver.config.k8s.io/v1, legacy v1 EncryptionConfig), so which provider encrypts Secrets cannot be checked; and when a cluster snapshot of a self-managed control plane holds neither a kube-apiserver Pod nor an EncryptionConfiguration. Informational: it does not count as a failure.",
  remediation:
    "Include the EncryptionConfiguration file in the scan (with its key secrets redacted if you must; kubeguard never reports them), or take the snapshot with --encryption-config PATH.",
  references: [REF.encryptData, REF.encryptionConfigApi],
  frameworks: {},
  applies: (ctx) =>
    kubeApiServers(ctx).length > 0 || (ctx.inventory.snapshot !== undefined && !managedControlPlane(ctx)),
  evaluate: findings,
});
