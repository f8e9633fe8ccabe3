/**
 * The kinds a snapshot lists, in the order items appear in it. Optional kinds are custom resources a
 * cluster may not serve; their versions are tried newest first and a 404 means "not served".
 * docs/rbac/kubeguard-reader.yaml grants `list` on exactly these resources.
 */

export interface KindSpec {
  kind: string;
  /** The resource name in the URL (`pods`). */
  plural: string;
  /** API group; `""` for the core group. */
  group: string;
  /** Versions to try, preferred first. */
  versions: readonly string[];
  namespaced: boolean;
  /** A custom resource: skipped silently when its group is not served. */
  optional?: boolean;
  /** Listed as PartialObjectMetadataList: the server never sends values. */
  metadataOnly?: boolean;
}

const core = (kind: string, plural: string, namespaced = true, metadataOnly = false): KindSpec => ({
  kind,
  plural,
  group: "",
  versions: ["v1"],
  namespaced,
  ...(metadataOnly ? { metadataOnly } : {}),
});
const grouped = (
  group: string,
  versions: readonly string[],
  kind: string,
  plural: string,
  namespaced = true,
  optional = false,
): KindSpec => ({ kind, plural, group, versions, namespaced, ...(optional ? { optional } : {}) });

const ESO = ["v1", "v1beta1"] as const;
const ISTIO = ["v1", "v1beta1"] as const;

/** Every kind a snapshot may contain. */
export const SNAPSHOT_KINDS: readonly KindSpec[] = [
  core("Namespace", "namespaces", false),
  core("Pod", "pods"),
  grouped("apps", ["v1"], "Deployment", "deployments"),
  grouped("apps", ["v1"], "StatefulSet", "statefulsets"),
  grouped("apps", ["v1"], "DaemonSet", "daemonsets"),
  grouped("apps", ["v1"], "ReplicaSet", "replicasets"),
  grouped("batch", ["v1"], "Job", "jobs"),
  grouped("batch", ["v1"], "CronJob", "cronjobs"),
  core("ReplicationController", "replicationcontrollers"),
  core("Service", "services"),
  core("ServiceAccount", "serviceaccounts"),
  core("Secret", "secrets", true, true),
  core("ConfigMap", "configmaps", true, true),
  grouped("networking.k8s.io", ["v1"], "NetworkPolicy", "networkpolicies"),
  grouped("rbac.authorization.k8s.io", ["v1"], "Role", "roles"),
  grouped("rbac.authorization.k8s.io", ["v1"], "RoleBinding", "rolebindings"),
  grouped("rbac.authorization.k8s.io", ["v1"], "ClusterRole", "clusterroles", false),
  grouped("rbac.authorization.k8s.io", ["v1"], "ClusterRoleBinding", "clusterrolebindings", false),
  grouped("cilium.io", ["v2"], "CiliumNetworkPolicy", "ciliumnetworkpolicies", true, true),
  grouped(
    "cilium.io",
    ["v2"],
    "CiliumClusterwideNetworkPolicy",
    "ciliumclusterwidenetworkpolicies",
    false,
    true,
  ),
  grouped("cilium.io", ["v2", "v2alpha1"], "CiliumNodeConfig", "ciliumnodeconfigs", true, true),
  grouped("external-secrets.io", ESO, "ExternalSecret", "externalsecrets", true, true),
  grouped("external-secrets.io", ESO, "SecretStore", "secretstores", true, true),
  grouped("external-secrets.io", ESO, "ClusterSecretStore", "clustersecretstores", false, true),
  grouped("bitnami.com", ["v1alpha1"], "SealedSecret", "sealedsecrets", true, true),
  grouped("security.istio.io", ISTIO, "PeerAuthentication", "peerauthentications", true, true),
  grouped("crd.projectcalico.org", ["v1"], "FelixConfiguration", "felixconfigurations", false, true),
];

/** ConfigMaps the checks read with their data (any namespace); every other ConfigMap is metadata only. */
export const CONFIGMAPS_WITH_DATA: readonly string[] = ["cilium-config"];

/**
 * Secret types asked for by field selector, so metadata-only Secrets still carry their `type`
 * (PartialObjectMetadata has none). `Opaque` first: the checks tell hand-managed Secrets by it.
 */
export const SECRET_TYPES: readonly string[] = [
  "Opaque",
  "helm.sh/release.v1",
  "kubernetes.io/tls",
  "kubernetes.io/dockerconfigjson",
  "kubernetes.io/service-account-token",
  "kubernetes.io/dockercfg",
  "kubernetes.io/basic-auth",
  "kubernetes.io/ssh-auth",
  "bootstrap.kubernetes.io/token",
];

/** `apiVersion` of a group and version. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The collection URL of a kind in a version, optionally inside a namespace. */
export function listPath(spec: KindSpec, version: string, namespace?: string): string {
  const base = spec.group ? `/apis/${spec.group}/${version}` : `/api/${version}`;
  const ns = namespace !== undefined && spec.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${spec.plural}`;
}
