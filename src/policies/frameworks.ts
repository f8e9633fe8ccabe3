/**
 * Compliance frameworks and their controls. A check names, in its `frameworks` map, the control it
 * belongs to in each framework; the scan groups findings by control to compute per-framework scores.
 */
import type { FrameworkId } from "./types.ts";

export interface Control {
  id: string;
  title: string;
}

export interface Framework {
  id: FrameworkId;
  title: string;
  description: string;
  url: string;
  controls: Control[];
}

const PSS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

const PSS_BASELINE_CONTROLS: Control[] = [
  { id: "appArmorProfile", title: "AppArmor" },
  { id: "capabilities_baseline", title: "Capabilities" },
  { id: "hostNamespaces", title: "Host namespaces" },
  { id: "hostPathVolumes", title: "HostPath volumes" },
  { id: "hostPorts", title: "Host ports" },
  { id: "hostProbesAndHostLifecycle", title: "Host probes and lifecycle hooks" },
  { id: "privileged", title: "Privileged containers" },
  { id: "procMount", title: "/proc mount type" },
  { id: "seLinuxOptions", title: "SELinux" },
  { id: "seccompProfile_baseline", title: "Seccomp" },
  { id: "sysctls", title: "Sysctls" },
  { id: "windowsHostProcess", title: "HostProcess" },
];

const PSS_RESTRICTED_CONTROLS: Control[] = [
  ...PSS_BASELINE_CONTROLS,
  { id: "allowPrivilegeEscalation", title: "Privilege escalation" },
  { id: "capabilities_restricted", title: "Capabilities (restricted)" },
  { id: "procMount_restricted", title: "/proc mount type (restricted)" },
  { id: "restrictedVolumes", title: "Volume types" },
  { id: "runAsNonRoot", title: "Running as non-root" },
  { id: "runAsUser", title: "Running as non-root user" },
  { id: "seccompProfile_restricted", title: "Seccomp (restricted)" },
];

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: "pss-baseline",
    title: "Pod Security Standards: baseline",
    description: "Prevents known privilege escalations: the Kubernetes baseline profile.",
    url: PSS_URL,
    controls: PSS_BASELINE_CONTROLS,
  },
  {
    id: "pss-restricted",
    title: "Pod Security Standards: restricted",
    description: "Current pod hardening best practice: the Kubernetes restricted profile.",
    url: PSS_URL,
    controls: PSS_RESTRICTED_CONTROLS,
  },
  {
    id: "nsa-cisa",
    title: "NSA/CISA Kubernetes Hardening Guide",
    description: "The NSA and CISA Kubernetes Hardening Guidance (v1.2, 2022), by section.",
    url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
    controls: [
      { id: "pod-security", title: "Kubernetes Pod security: non-root, immutable, least privilege" },
      { id: "service-account-tokens", title: "Protecting Pod service account tokens" },
      { id: "network-separation", title: "Network separation and hardening: network policies" },
      { id: "resource-policies", title: "Resource policies: limits and quotas" },
      { id: "control-plane-hardening", title: "Control plane hardening: etcd encryption at rest" },
      { id: "secrets", title: "Secrets: encrypted, kept out of manifests" },
      { id: "encryption-in-transit", title: "Encryption of traffic between Pods" },
      { id: "authorization", title: "Authentication and authorization: RBAC least privilege" },
      { id: "admission", title: "Admission control" },
      { id: "image-security", title: "Application security: images from trusted, pinned sources" },
    ],
  },
  {
    id: "cis",
    title: "CIS Kubernetes Benchmark (controls kubeguard implements)",
    description: "CIS Kubernetes Benchmark v1.9 controls that can be checked from manifests and snapshots.",
    url: "https://www.cisecurity.org/benchmark/kubernetes",
    controls: [
      { id: "1.2.27", title: "Ensure that the --encryption-provider-config argument is set" },
      { id: "1.2.28", title: "Ensure that encryption providers are appropriately configured" },
      { id: "5.1.1", title: "Ensure that the cluster-admin role is only used where required" },
      { id: "5.1.2", title: "Minimize access to secrets" },
      { id: "5.1.3", title: "Minimize wildcard use in Roles and ClusterRoles" },
      { id: "5.1.4", title: "Minimize access to create pods" },
      { id: "5.1.5", title: "Ensure that default service accounts are not actively used" },
      { id: "5.1.6", title: "Ensure that Service Account Tokens are only mounted where necessary" },
      { id: "5.1.8", title: "Limit use of the Bind, Impersonate and Escalate permissions" },
      { id: "5.1.10", title: "Minimize access to the proxy sub-resource of nodes" },
      { id: "5.1.13", title: "Minimize access to the service account token creation" },
      { id: "5.2.1", title: "Ensure that the cluster has at least one active policy control mechanism" },
      { id: "5.2.2", title: "Minimize the admission of privileged containers" },
      { id: "5.2.3", title: "Minimize the admission of containers sharing host namespaces" },
      { id: "5.2.6", title: "Minimize the admission of containers with allowPrivilegeEscalation" },
      { id: "5.2.7", title: "Minimize the admission of root containers" },
      { id: "5.2.9", title: "Minimize the admission of containers with added capabilities" },
      { id: "5.2.10", title: "Minimize the admission of containers with capabilities assigned" },
      { id: "5.2.11", title: "Minimize the admission of Windows HostProcess containers" },
      { id: "5.2.12", title: "Minimize the admission of HostPath volumes" },
      { id: "5.2.13", title: "Minimize the admission of containers which use HostPorts" },
      { id: "5.3.2", title: "Ensure that all Namespaces have NetworkPolicies defined" },
      { id: "5.4.1", title: "Prefer using Secrets as files over Secrets as environment variables" },
      { id: "5.4.2", title: "Consider external secret storage" },
      { id: "5.7.2", title: "Ensure that the seccomp profile is set to RuntimeDefault" },
      { id: "5.7.3", title: "Apply SecurityContext to your Pods and Containers" },
    ],
  },
  {
    id: "microservices-hardening",
    title: "Microservices hardening: the five recommendations",
    description:
      "Pod Security Standards; Secrets in an external manager; etcd encrypted at rest; pod-to-pod traffic encrypted; least privilege for every identity.",
    url: "https://kubeguard.dev/docs/microservices-hardening",
    controls: [
      {
        id: "1-pod-security",
        title: "Apply the Pod Security Standards: least privilege, no root, no privileged mode",
      },
      { id: "2-external-secrets", title: "Manage Secrets with an external manager, never in manifests" },
      { id: "3-etcd-encryption", title: "Encrypt etcd at rest with a strong provider" },
      {
        id: "4-pod-traffic-encryption",
        title: "Encrypt pod-to-pod traffic (Cilium WireGuard/IPsec or mesh mTLS)",
      },
      {
        id: "5-least-privilege",
        title: "Give every identity only what it needs: RBAC and network isolation",
      },
    ],
  },
];

/** Look a framework up by ID. */
export function getFramework(id: string): Framework | undefined {
  return FRAMEWORKS.find((f) => f.id === id);
}
