/**
 * Shared readers for the encryption module: the rules of an EncryptionConfiguration as the API server
 * applies them, the flags of a kube-apiserver container, and what a cluster's Cilium configuration says.
 * Every reader treats a wrong-typed field as absent and never throws.
 */
import type { KObject, Path, Resource } from "../../ingest/types.ts";
import { POD_TEMPLATE_KINDS, type PodContainer, podContainers } from "../common/containers.ts";
import { asList, asObject, asString, getIn } from "../common/objects.ts";
import type { CheckContext, Reference } from "../types.ts";

/* ------------------------------------------------------------------ references */

export const REF = {
  encryptData: {
    title: "Kubernetes: Encrypting Confidential Data at Rest",
    url: "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",
  },
  encryptionConfigApi: {
    title: "Kubernetes: kube-apiserver Encryption Configuration (v1)",
    url: "https://kubernetes.io/docs/reference/config-api/apiserver-encryption.v1/",
  },
  kms: {
    title: "Kubernetes: Using a KMS provider for data encryption",
    url: "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/",
  },
  apiserverFlags: {
    title: "Kubernetes: kube-apiserver command line reference",
    url: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
  },
  nsa: {
    title: "NSA/CISA Kubernetes Hardening Guidance v1.2",
    url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
  },
  cis: { title: "CIS Kubernetes Benchmark", url: "https://www.cisecurity.org/benchmark/kubernetes" },
  ciliumEncryption: {
    title: "Cilium: Transparent Encryption",
    url: "https://docs.cilium.io/en/stable/security/network/encryption/",
  },
  ciliumWireguard: {
    title: "Cilium: WireGuard Transparent Encryption",
    url: "https://docs.cilium.io/en/stable/security/network/encryption-wireguard/",
  },
  ciliumIpsec: {
    title: "Cilium: IPsec Transparent Encryption",
    url: "https://docs.cilium.io/en/stable/security/network/encryption-ipsec/",
  },
  ciliumNodeConfig: {
    title: "Cilium: Per-node configuration (CiliumNodeConfig)",
    url: "https://docs.cilium.io/en/stable/configuration/per-node-config/",
  },
  istioPeerAuthentication: {
    title: "Istio: PeerAuthentication",
    url: "https://istio.io/latest/docs/reference/config/security/peer_authentication/",
  },
  istioMtlsMigration: {
    title: "Istio: Mutual TLS migration (mesh-wide STRICT mode)",
    url: "https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/",
  },
  calicoWireguard: {
    title: "Calico: Encrypt in-cluster pod traffic (WireGuard)",
    url: "https://docs.tigera.io/calico/latest/network-policy/encrypt-cluster-pod-traffic",
  },
  flannelBackends: {
    title: "flannel: Backends (wireguard, ipsec)",
    url: "https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md",
  },
  eks: {
    title: "Amazon EKS: Envelope encryption of Kubernetes API data with AWS KMS",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
  },
  gke: {
    title: "GKE: Encrypt Secrets at the application layer",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
  },
  aks: {
    title: "AKS: Key Management Service (KMS) etcd encryption",
    url: "https://learn.microsoft.com/en-us/azure/aks/use-kms-etcd-encryption",
  },
} satisfies Record<string, Reference>;

/** Framework controls of the etcd-at-rest checks that judge an EncryptionConfiguration. */
export const ETCD_CONFIG_FRAMEWORKS = {
  "nsa-cisa": "control-plane-hardening",
  cis: "1.2.28",
  "microservices-hardening": "3-etcd-encryption",
} as const;

/** Framework controls of the pod-to-pod encryption checks. */
export const POD_TRAFFIC_FRAMEWORKS = {
  "nsa-cisa": "encryption-in-transit",
  "microservices-hardening": "4-pod-traffic-encryption",
} as const;

/* ------------------------------------------------------------------ naming */

/** How messages name an object: `ConfigMap "cilium-config"`, or just the kind when it has no name. */
export function describeObject(r: Resource): string {
  return r.name ? `${r.kind} "${r.name}"` : r.kind;
}

/** `"a", "b" and "c"` */
export function quoteList(items: readonly string[]): string {
  const q = items.map((i) => `"${i}"`);
  if (q.length <= 1) return q.join("");
  return `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
}

/**
 * A resource to hang a cluster-level finding on when no single object is at fault: the kube-system
 * Namespace when present, otherwise the first resource of the input.
 */
export function anchorResource(ctx: CheckContext): Resource | undefined {
  return (
    ctx.inventory.byKind("Namespace").find((r) => r.name === "kube-system") ?? ctx.inventory.resources[0]
  );
}

/* ------------------------------------------------------------------ EncryptionConfiguration */

/**
 * EncryptionConfiguration documents in the input: `apiserver.config.k8s.io/v1` `EncryptionConfiguration`
 * and the legacy `v1` `EncryptionConfig`. A snapshot carries one as an item when captured with
 * `--encryption-config`.
 */
export function encryptionConfigs(ctx: CheckContext): Resource[] {
  return [
    ...ctx.inventory
      .byKind("EncryptionConfiguration")
      .filter((r) => r.apiVersion.startsWith("apiserver.config.k8s.io/")),
    ...ctx.inventory.byKind("EncryptionConfig").filter((r) => r.apiVersion === "v1"),
  ];
}

export const PROVIDER_TYPES = ["identity", "aesgcm", "aescbc", "secretbox", "kms"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** One element of a `providers` list. */
export interface Provider {
  type: ProviderType;
  /** Index in the `providers` list. */
  index: number;
  /** The provider's own object (`{}` for `identity: {}` or `identity:`). */
  body: KObject;
  /** Path of the provider's key, e.g. `["resources", 0, "providers", 0, "aescbc"]`. */
  path: Path;
}

/** The provider an element of `providers` names; the first known key wins (the API server allows one). */
export function readProvider(element: unknown, index: number, providersPath: Path): Provider | undefined {
  const obj = asObject(element);
  if (!obj) return undefined;
  for (const key of Object.keys(obj)) {
    const type = PROVIDER_TYPES.find((t) => t === key);
    if (type) {
      return { type, index, body: asObject(obj[key]) ?? {}, path: [...providersPath, index, type] };
    }
  }
  return undefined;
}

/** Every provider of a `resources[]` entry, in order; unknown elements are skipped. */
export function readProviders(entry: KObject, entryPath: Path): Provider[] {
  const path = [...entryPath, "providers"];
  const out: Provider[] = [];
  asList(entry.providers).forEach((p, i) => {
    const provider = readProvider(p, i, path);
    if (provider) out.push(provider);
  });
  return out;
}

/**
 * Whether a `resources[].resources` name covers core-group Secrets. Names parse like the API server's
 * `schema.ParseGroupResource` (split at the first dot): `secrets` and `secrets.` name them, `*.` is every
 * core-group resource, `*.*` every resource. Matching is exact (the API server rejects upper case).
 */
export function coversSecrets(name: string): boolean {
  // A bare "*" is rejected by validation ("use '*.' … or '*.*'"), so it covers nothing.
  if (name === "*") return false;
  const dot = name.indexOf(".");
  const resource = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? "" : name.slice(dot + 1);
  if (resource === "*" && group === "*") return true;
  return group === "" && (resource === "secrets" || resource === "*");
}

/** The entry of an EncryptionConfiguration that decides how Secrets are written. */
export interface SecretsRule {
  /** Index of the entry in `resources`. */
  index: number;
  /** The name in `resources[index].resources` that covers Secrets (`secrets`, `secrets.`, `*.` or `*.*`). */
  matched: string;
  /** Path of that name. */
  matchedPath: Path;
  entryPath: Path;
  providers: Provider[];
  /** Later entries that also cover Secrets: they never decide (see `secretsRule`). */
  shadowed: { index: number; matched: string }[];
}

/**
 * The rule the API server uses for Secrets: the FIRST `resources[]` entry whose `resources` cover
 * core-group Secrets. The API server looks an exact name up before `*.` and `*.*`, but it refuses to
 * start when a wildcard entry masks a later rule ("resource "secrets" is masked by earlier rule "*.""),
 * and for a name listed twice the first entry's providers come first, so in every configuration it
 * accepts the first covering entry decides. Undefined when no entry covers Secrets.
 */
export function secretsRule(config: KObject): SecretsRule | undefined {
  let rule: SecretsRule | undefined;
  asList(config.resources).forEach((e, index) => {
    const entry = asObject(e);
    if (!entry) return;
    const names = asList(entry.resources);
    const at = names.findIndex((n) => typeof n === "string" && coversSecrets(n));
    if (at < 0) return;
    const matched = names[at] as string;
    if (rule) {
      rule.shadowed.push({ index, matched });
      return;
    }
    const entryPath: Path = ["resources", index];
    rule = {
      index,
      matched,
      matchedPath: [...entryPath, "resources", at],
      entryPath,
      providers: readProviders(entry, entryPath),
      shadowed: [],
    };
  });
  return rule;
}

/** `EncryptionConfiguration resources[0] ("secrets")`, naming the entry that decides for Secrets. */
export function describeRule(config: Resource, rule: SecretsRule): string {
  return `${describeObject(config)} resources[${rule.index}] (covering Secrets through "${rule.matched}")`;
}

/** What follows a rule's first provider, for messages: `; providers[1] (aescbc) is only used to read data already written with it`. */
export function laterProvidersNote(rule: SecretsRule): string {
  const later = rule.providers.slice(1);
  if (later.length === 0) return "";
  const list = later.map((p) => `providers[${p.index}] (${p.type})`).join(", ");
  return `; ${list} ${later.length === 1 ? "is" : "are"} only used to read data already written with ${later.length === 1 ? "it" : "them"}`;
}

/** Note on later entries that also list Secrets, for messages. */
export function shadowedNote(rule: SecretsRule): string {
  if (rule.shadowed.length === 0) return "";
  const list = rule.shadowed.map((s) => `resources[${s.index}] ("${s.matched}")`).join(", ");
  return `; the later ${list} never applies to Secrets (the first matching entry wins, and kube-apiserver refuses to start when an earlier wildcard masks a later rule)`;
}

/** A KMS provider's plugin API version: `kms.apiVersion`, which defaults to `v1` when unset. */
export function kmsApiVersion(p: Provider): { value: string; explicit: boolean } {
  const v = asString(p.body.apiVersion);
  return v ? { value: v, explicit: true } : { value: "v1", explicit: false };
}

/* ------------------------------------------------------------------ kube-apiserver */

const POD_KINDS = POD_TEMPLATE_KINDS;

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "busybox"]);
const APISERVER_BINARY = "kube-apiserver";
const APISERVER_IMAGE = /^kube-apiserver(-(amd64|arm64|arm|ppc64le|s390x))?$/;
const SHELL_SEPARATORS = new Set([";", "&&", "||", "|", "&"]);

interface Token {
  value: string;
  path: Path;
}

function basename(s: string): string {
  const i = s.lastIndexOf("/");
  return i < 0 ? s : s.slice(i + 1);
}

function tokens(v: unknown, path: Path): Token[] {
  const out: Token[] = [];
  asList(v).forEach((t, i) => {
    if (typeof t === "string") out.push({ value: t, path: [...path, i] });
  });
  return out;
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/s, "$2").replace(/=(["'])(.*)\1$/s, "=$2");
}

/** The words of a shell script after `kube-apiserver`, up to the end of that command; all at `path`. */
function scriptFlags(script: Token): Token[] | undefined {
  const words = script.value.split(/\s+/).filter((w) => w !== "" && w !== "\\");
  const at = words.findIndex((w) => basename(unquote(w)) === APISERVER_BINARY);
  if (at < 0) return undefined;
  const out: Token[] = [];
  for (const w of words.slice(at + 1)) {
    if (SHELL_SEPARATORS.has(w)) break;
    const end = w.endsWith(";");
    const word = unquote(end ? w.slice(0, -1) : w);
    if (word) out.push({ value: word, path: script.path });
    if (end) break;
  }
  return out;
}

/** The image's repository name without registry, tag or digest: `registry.k8s.io/kube-apiserver:v1.31.4` → `kube-apiserver`. */
export function imageName(image: string): string {
  const noDigest = image.split("@")[0] ?? "";
  const last = basename(noDigest);
  const colon = last.indexOf(":");
  return colon < 0 ? last : last.slice(0, colon);
}

/** The image's repository with registry, without tag or digest: `quay.io/cilium/cilium:v1.16.5@sha256:…` → `quay.io/cilium/cilium`. */
export function imageRepository(image: string): string {
  const noDigest = image.split("@")[0] ?? "";
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The first string of a list, if any. */
function firstString(v: unknown): string | undefined {
  for (const t of asList(v)) if (typeof t === "string") return t;
  return undefined;
}

/** The flags a container passes to kube-apiserver, when it runs kube-apiserver. */
function apiserverFlags(c: KObject, base: Path): Token[] | undefined {
  // Most containers are not kube-apiserver: decide from the first word before building any token.
  const inCommand = firstString(c.command);
  const word = inCommand ?? firstString(c.args);
  if (word === undefined) return undefined;
  const program = basename(word);
  if (program !== APISERVER_BINARY && program !== "hyperkube" && !SHELLS.has(program)) {
    const image = inCommand === undefined ? asString(c.image) : undefined;
    if (!image || !APISERVER_IMAGE.test(imageName(image))) return undefined;
  }
  const command = tokens(c.command, [...base, "command"]);
  const all = [...command, ...tokens(c.args, [...base, "args"])];
  const first = all[0];
  if (!first) return undefined;
  const bin = basename(first.value);
  if (bin === APISERVER_BINARY) return all.slice(1);
  if (bin === "hyperkube" && (all[1]?.value === APISERVER_BINARY || all[1]?.value === "apiserver")) {
    return all.slice(2);
  }
  if (SHELLS.has(bin)) {
    const dashC = all.findIndex((t, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(t.value));
    const script = dashC > 0 ? all[dashC + 1] : undefined;
    return script ? scriptFlags(script) : undefined;
  }
  const image = asString(c.image);
  if (command.length === 0 && image && APISERVER_IMAGE.test(imageName(image))) return all;
  return undefined;
}

/** A container that runs kube-apiserver. */
export interface ApiServer {
  resource: Resource;
  container: PodContainer;
  /** Value of the last `--encryption-provider-config` (pflag semantics: the last one wins). */
  encryptionConfig?: { value: string; path: Path };
  /** Where the flag belongs when it is missing: the container's command (or args). */
  flagPath: Path;
}

/** Read `--name=value` / `--name value` from flags; the last occurrence wins, as in pflag. */
function findFlag(flags: readonly Token[], name: string): { value: string; path: Path } | undefined {
  const bare = `--${name}`;
  const prefix = `${bare}=`;
  let found: { value: string; path: Path } | undefined;
  flags.forEach((t, i) => {
    if (t.value === bare) found = { value: flags[i + 1]?.value ?? "", path: t.path };
    else if (t.value.startsWith(prefix)) found = { value: t.value.slice(prefix.length), path: t.path };
  });
  return found;
}

function isStaticApiServerPod(r: Resource): boolean {
  const labels = asObject(r.pod?.metadata.labels);
  return r.kind === "Pod" && r.namespace === "kube-system" && labels?.component === "kube-apiserver";
}

/**
 * Every container that runs kube-apiserver: a container whose command (or, without a command, whose
 * image) is kube-apiserver — also through `hyperkube` or `sh -c` — and the kube-apiserver container of
 * a static Pod in kube-system labelled `component: kube-apiserver` (the one named kube-apiserver, else
 * the first). Flags are read from command and args together.
 */
export function kubeApiServers(ctx: CheckContext): readonly ApiServer[] {
  // Several checks (and their `applies`) ask for these: read every pod template once per inventory.
  let servers = apiServersByInventory.get(ctx.inventory);
  if (!servers) {
    servers = findApiServers(ctx);
    apiServersByInventory.set(ctx.inventory, servers);
  }
  return servers;
}

const apiServersByInventory = new WeakMap<CheckContext["inventory"], readonly ApiServer[]>();

function findApiServers(ctx: CheckContext): ApiServer[] {
  const out: ApiServer[] = [];
  for (const kind of POD_KINDS) {
    for (const resource of ctx.inventory.byKind(kind)) {
      const containers = podContainers(resource, ["containers"]);
      let found = false;
      for (const container of containers) {
        const flags = apiserverFlags(container.container, container.path);
        if (!flags) continue;
        found = true;
        out.push(apiServer(resource, container, flags));
      }
      if (!found && isStaticApiServerPod(resource)) {
        const container = containers.find((c) => c.name === APISERVER_BINARY) ?? containers[0];
        if (!container) continue;
        const c = container.container;
        const all = [
          ...tokens(c.command, [...container.path, "command"]),
          ...tokens(c.args, [...container.path, "args"]),
        ];
        out.push(apiServer(resource, container, all[0]?.value.startsWith("-") ? all : all.slice(1)));
      }
    }
  }
  return out;
}

function apiServer(resource: Resource, container: PodContainer, flags: Token[]): ApiServer {
  const c = container.container;
  const where = asList(c.command).length > 0 || asList(c.args).length === 0 ? "command" : "args";
  const flag = findFlag(flags, "encryption-provider-config");
  return {
    resource,
    container,
    ...(flag ? { encryptionConfig: flag } : {}),
    flagPath: [...container.path, where],
  };
}

/** Managed control planes: the API server and etcd are the provider's, and so is encryption at rest. */
export const MANAGED_CONTROL_PLANES: Readonly<Record<string, { name: string; offer: string }>> = {
  eks: {
    name: "Amazon EKS",
    offer:
      "EKS envelope-encrypts Kubernetes API data with AWS KMS (by default on Kubernetes 1.28 and later, with an AWS-owned key); associate a customer managed KMS key (aws eks associate-encryption-config) to own, rotate and audit the key",
  },
  gke: {
    name: "Google GKE",
    offer:
      "GKE encrypts etcd at the storage layer by default; enable application-layer secrets encryption with a Cloud KMS key (gcloud container clusters update CLUSTER --database-encryption-key=projects/P/locations/L/keyRings/R/cryptoKeys/K)",
  },
  aks: {
    name: "Azure AKS",
    offer:
      "AKS encrypts etcd at rest with platform-managed keys; enable KMS etcd encryption with an Azure Key Vault key (az aks update --enable-azure-keyvault-kms --azure-keyvault-kms-key-id KEY_ID)",
  },
  doks: {
    name: "DigitalOcean Kubernetes",
    offer: "ask the provider how etcd is encrypted at rest and whether a key you control can be used",
  },
  oke: {
    name: "Oracle OKE",
    offer:
      "encrypt Kubernetes Secrets at rest with a key from the OCI Vault service (cluster option kmsKeyId)",
  },
  lke: {
    name: "Akamai/Linode LKE",
    offer: "ask the provider how etcd is encrypted at rest and whether a key you control can be used",
  },
  iks: {
    name: "IBM Cloud Kubernetes Service",
    offer:
      "enable KMS provider encryption of Secrets with a Key Protect or Hyper Protect Crypto Services root key",
  },
  ack: {
    name: "Alibaba Cloud ACK",
    offer: "enable Secret encryption at rest with a KMS key (ACK Pro clusters)",
  },
};

/** The managed control plane a snapshot came from, when its provider is one. */
export function managedControlPlane(
  ctx: CheckContext,
): { id: string; name: string; offer: string } | undefined {
  const id = ctx.inventory.snapshot?.provider?.toLowerCase();
  if (!id) return undefined;
  const mcp = Object.hasOwn(MANAGED_CONTROL_PLANES, id) ? MANAGED_CONTROL_PLANES[id] : undefined;
  return mcp ? { id, ...mcp } : undefined;
}

/* ------------------------------------------------------------------ Cilium */

/**
 * A boolean agent option as Cilium reads it (Go `strconv.ParseBool`): `1 t T TRUE true True` are true,
 * `0 f F FALSE false False` false, anything else (or a non-string) is absent.
 */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v !== "string") return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

/** The `cilium-config` ConfigMaps of the input (any namespace). */
export function ciliumConfigs(ctx: CheckContext): Resource[] {
  return ctx.inventory.byKind("ConfigMap").filter((r) => r.name === "cilium-config" && r.apiVersion === "v1");
}

/** The string data of a ConfigMap (`data`), empty when absent. */
export function configData(r: Resource): KObject {
  return asObject(r.object.data) ?? {};
}

/** The transparent-encryption options that encrypt pod traffic. */
export const CILIUM_ENCRYPTION_KEYS = ["enable-wireguard", "enable-ipsec", "enable-ztunnel"] as const;

/** Which transparent encryption a Cilium configuration turns on. */
export function ciliumEncryption(data: KObject): { wireguard: boolean; ipsec: boolean; ztunnel: boolean } {
  return {
    wireguard: parseBool(data["enable-wireguard"]) === true,
    ipsec: parseBool(data["enable-ipsec"]) === true,
    ztunnel: parseBool(data["enable-ztunnel"]) === true,
  };
}

function isCiliumAgentImage(image: unknown): boolean {
  const s = asString(image);
  if (!s) return false;
  const repo = imageRepository(s);
  return repo === "cilium/cilium" || repo.endsWith("/cilium/cilium");
}

/** The Cilium agent DaemonSets: named `cilium`, or running the `cilium/cilium` image (not cilium-envoy or the operator). */
export function ciliumDaemonSets(ctx: CheckContext): Resource[] {
  return ctx.inventory
    .byKind("DaemonSet")
    .filter(
      (r) =>
        r.name === "cilium" ||
        podContainers(r, ["containers"]).some((c) => isCiliumAgentImage(c.container.image)),
    );
}

/** Whether the input shows Cilium as the CNI: a Cilium agent DaemonSet or a cilium-config ConfigMap. */
export function hasCilium(ctx: CheckContext): boolean {
  return ciliumConfigs(ctx).length > 0 || ciliumDaemonSets(ctx).length > 0;
}

/** `spec.defaults` of a CiliumNodeConfig (`cilium.io/v2` or `cilium.io/v2alpha1`). */
export function ciliumNodeConfigs(ctx: CheckContext): { resource: Resource; defaults: KObject }[] {
  return ctx.inventory
    .byKind("CiliumNodeConfig")
    .filter((r) => r.apiVersion === "cilium.io/v2" || r.apiVersion === "cilium.io/v2alpha1")
    .map((resource) => ({
      resource,
      defaults: asObject(getIn(resource.object, ["spec", "defaults"])) ?? {},
    }));
}

/** Providers whose `keys[].secret` hold local key material. */
export const LOCAL_KEY_PROVIDERS = ["aescbc", "aesgcm", "secretbox"] as const;

/**
 * The value `kubeguard snapshot --encryption-config` writes in place of every key's `secret`, so that
 * no key material leaves the control plane. Such a key cannot be judged and is skipped.
 */
export const REDACTED_SECRET = "<redacted>";
