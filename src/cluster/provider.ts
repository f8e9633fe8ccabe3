/**
 * Which Kubernetes distribution a snapshot comes from, from what the snapshot already holds: the
 * server's gitVersion and a few well-known kube-system objects. Managed providers (eks, gke, aks)
 * hide the control plane, so the encryption checks report "cannot inspect" there instead of failing.
 */
import type { KObject } from "../ingest/types.ts";

/** Known values of `metadata.provider`. */
export const PROVIDERS = ["eks", "gke", "aks", "kind", "k3s", "kubeadm", "unknown"] as const;
export type Provider = (typeof PROVIDERS)[number];

function meta(o: KObject): KObject {
  return (typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {}) as KObject;
}
function labels(o: KObject): Record<string, unknown> {
  const l = meta(o).labels;
  return typeof l === "object" && l !== null ? (l as Record<string, unknown>) : {};
}

/**
 * Detect the provider: `-eks-` / `-gke.` / `+k3s` in gitVersion, AKS labels or add-ons in kube-system,
 * kind's `kindnet` DaemonSet, a kubeadm-style kube-apiserver static Pod, else `unknown`.
 *
 * @example detectProvider("v1.30.4-eks-a737599", []) // "eks"
 */
export function detectProvider(gitVersion: string | undefined, items: readonly KObject[]): Provider {
  const v = gitVersion ?? "";
  if (v.includes("-eks-")) return "eks";
  if (v.includes("-gke.")) return "gke";
  if (v.includes("+k3s")) return "k3s";
  const system = items.filter((o) => meta(o).namespace === "kube-system");
  const isAks = system.some(
    (o) =>
      Object.keys(labels(o)).some((k) => k.startsWith("kubernetes.azure.com/")) ||
      (o.kind === "DaemonSet" &&
        /^(azure-ip-masq-agent|azure-cns|cloud-node-manager)$/.test(String(meta(o).name))),
  );
  if (isAks) return "aks";
  if (system.some((o) => o.kind === "DaemonSet" && meta(o).name === "kindnet")) return "kind";
  const apiserver = system.some(
    (o) =>
      o.kind === "Pod" &&
      (labels(o).component === "kube-apiserver" || String(meta(o).name).startsWith("kube-apiserver-")),
  );
  return apiserver ? "kubeadm" : "unknown";
}
