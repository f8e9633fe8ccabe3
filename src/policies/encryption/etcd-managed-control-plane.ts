/**
 * etcd at rest on a managed control plane: the API server and etcd belong to the provider, so a snapshot
 * cannot show how Secrets are encrypted. Reported as info with what the provider offers, not as a failure.
 */
import type { CheckContext, RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import { anchorResource, encryptionConfigs, kubeApiServers, managedControlPlane, REF } from "./util.ts";

function findings(ctx: CheckContext): RawFinding[] {
  const mcp = managedControlPlane(ctx);
  if (!mcp || encryptionConfigs(ctx).length > 0 || kubeApiServers(ctx).length > 0) return [];
  const anchor = anchorResource(ctx);
  if (!anchor) return [];
  return [
    {
      resource: anchor,
      path: [],
      message: `etcd encryption cannot be inspected on a managed control plane (${mcp.name}, snapshot provider "${mcp.id}"): ${mcp.offer}`,
    },
  ];
}

export const etcdManagedControlPlane = defineCheck({
  id: "encryption.etcd-managed-control-plane",
  scope: "cluster",
  title: "etcd encryption on a managed control plane cannot be inspected",
  severity: "info",
  description:
    "Reported for a cluster snapshot whose provider (snapshot metadata provider) is a managed control plane — eks, gke, aks, doks, oke, lke, iks or ack — when it holds no kube-apiserver Pod and no EncryptionConfiguration. The provider runs the API server and etcd, so encryption at rest is configured on the provider's side: Amazon EKS envelope-encrypts Kubernetes API data with AWS KMS (by default since Kubernetes 1.28, with an AWS-owned key; a customer managed key can be associated); GKE encrypts etcd at the storage layer and offers application-layer secrets encryption with a Cloud KMS key; AKS encrypts at rest with platform-managed keys and offers KMS etcd encryption with an Azure Key Vault key. Informational: it does not count as a failure.",
  remediation:
    "Check the provider's setting: EKS `aws eks describe-cluster --query cluster.encryptionConfig` (associate a customer managed KMS key with `aws eks associate-encryption-config`), GKE `gcloud container clusters describe CLUSTER --format 'value(databaseEncryption)'` (enable with `--database-encryption-key`), AKS `az aks show --query securityProfile.azureKeyVaultKms` (enable with `az aks update --enable-azure-keyvault-kms`).",
  references: [REF.eks, REF.gke, REF.aks, REF.encryptData],
  frameworks: {},
  applies: (ctx) => managedControlPlane(ctx) !== undefined,
  evaluate: findings,
});
