/**
 * The network-policy view the `network` checks share: Kubernetes NetworkPolicies, CiliumNetworkPolicies
 * and CiliumClusterwideNetworkPolicies read into one rule model (who is selected, which directions are
 * isolated and whether the allowed traffic is restricted), and the workloads they protect, indexed by
 * namespace once per inventory.
 *
 * Default deny, per direction: a rule that selects every pod of the namespace, isolates that direction,
 * and allows no catch-all peer. For a NetworkPolicy: `podSelector` empty (`{}` or absent), the direction
 * in `policyTypes` (absent `policyTypes` means Ingress, plus Egress when `egress` has rules), and every
 * rule of that direction lists peers (`from`/`to`), none of them a catch-all (`namespaceSelector: {}`
 * without a pod restriction, `ipBlock` 0.0.0.0/0 or ::/0 without `except`). So `ingress: []` (deny
 * all) counts, as does the usual "deny all egress but DNS to kube-dns"; `ingress: [{}]` (allow all) or a
 * rule with only `ports` (every source on a port) does not. For Cilium: an empty `endpointSelector`
 * (or one that only names the namespace), the direction enforced (`ingress`/`ingressDeny`, resp.
 * `egress`/`egressDeny`, non-empty and `enableDefaultDeny.<direction>` not false), and no allow rule
 * with a catch-all peer (no L3 peer but `toPorts`/`icmps`, `fromEntities`/`toEntities` `all`, `world`
 * or `cluster`, a 0.0.0.0/0 or ::/0 CIDR, or an empty endpoint selector in a clusterwide policy).
 * Empty Cilium rules (`- {}`) allow nothing, as in Cilium's own default-deny examples.
 */
import type { Resource } from "../../ingest/types.ts";
import { perInventory } from "../common/inventory.ts";
import {
  EVERYTHING,
  type LabelSelector,
  labelMap,
  labelsOf,
  matchesLabels,
  parseLabelSelector,
} from "../common/label-selector.ts";
import { asList, asNonEmptyString, asObject, asString } from "../common/objects.ts";
import { namespaceOf, runningWorkloads } from "../common/workloads.ts";
import type { Inventory, RawFinding, Reference } from "../types.ts";

export const NETWORK_POLICY_DOCS: Reference = {
  title: "Kubernetes: Network Policies (default policies)",
  url: "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
};

export const CILIUM_POLICY_DOCS: Reference = {
  title: "Cilium: Policy enforcement modes and default deny",
  url: "https://docs.cilium.io/en/stable/security/policy/intro/",
};

export const CILIUM_LANGUAGE_DOCS: Reference = {
  title: "Cilium: Layer 3 and layer 4 policy language",
  url: "https://docs.cilium.io/en/stable/security/policy/language/",
};

export const NSA_GUIDE: Reference = {
  title: "NSA/CISA Kubernetes Hardening Guidance: Network separation and hardening",
  url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
};

export const CIS_BENCHMARK: Reference = {
  title: "CIS Kubernetes Benchmark 5.3.2: Ensure that all Namespaces have NetworkPolicies defined",
  url: "https://www.cisecurity.org/benchmark/kubernetes",
};

export type Direction = "ingress" | "egress";

/** One selecting rule: a NetworkPolicy, or one entry of a Cilium policy's `spec`/`specs`. */
export interface SelectingRule {
  resource: Resource;
  /** The namespace the rule is confined to; `undefined` for a clusterwide policy. */
  namespace: string | undefined;
  /** Selector over the pod's labels plus the namespace-derived labels (see podLabelsFor). */
  selector: LabelSelector | undefined;
  /** The rule isolates the pods it selects in this direction and only allows restricted peers. */
  denies: Readonly<Record<Direction, boolean>>;
}

/** Labels Cilium derives from the pod's namespace and service account; prefixes of selector keys are removed. */
const NS_LABEL = "io.kubernetes.pod.namespace";
const NS_LABELS_PREFIX = "io.cilium.k8s.namespace.labels.";
const SA_LABEL = "io.cilium.k8s.policy.serviceaccount";
const SOURCE_PREFIXES = ["k8s:", "any:"];

function stripSource(key: string): string {
  for (const p of SOURCE_PREFIXES) if (key.startsWith(p)) return key.slice(p.length);
  return key;
}

/** A Cilium selector with `k8s:`/`any:` key prefixes removed. */
function ciliumSelector(value: unknown): LabelSelector | undefined {
  const parsed = parseLabelSelector(value);
  if (!parsed) return undefined;
  return { requirements: parsed.requirements.map((r) => ({ ...r, key: stripSource(r.key) })) };
}

function isNamespaceKey(key: string): boolean {
  return key === NS_LABEL || key.startsWith(NS_LABELS_PREFIX);
}

const CATCH_ALL_CIDRS: ReadonlySet<string> = new Set(["0.0.0.0/0", "::/0"]);

function nonEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

/** A NetworkPolicy peer that reaches everything: `namespaceSelector: {}` alone, or a whole-internet ipBlock. */
function k8sCatchAllPeer(value: unknown): boolean {
  const peer = asObject(value);
  if (!peer) return false;
  const ipBlock = asObject(peer.ipBlock);
  if (ipBlock) return CATCH_ALL_CIDRS.has(asString(ipBlock.cidr) ?? "") && !nonEmptyList(ipBlock.except);
  const ns = peer.namespaceSelector;
  if (ns === undefined || ns === null) return peer.podSelector === undefined || peer.podSelector === null;
  const nsSel = parseLabelSelector(ns);
  const podSel =
    peer.podSelector === undefined || peer.podSelector === null
      ? EVERYTHING
      : parseLabelSelector(peer.podSelector);
  return nsSel?.requirements.length === 0 && podSel?.requirements.length === 0;
}

/** Whether every NetworkPolicy rule of a direction names peers and none of them is a catch-all. */
function k8sRulesRestricted(rules: unknown, peerField: "from" | "to"): boolean {
  for (const entry of asList(rules)) {
    const rule = asObject(entry);
    if (!rule) continue;
    const peers = asList(rule[peerField]);
    if (peers.length === 0 || peers.some(k8sCatchAllPeer)) return false;
  }
  return true;
}

function networkPolicyRule(r: Resource): SelectingRule {
  const spec = asObject(r.object.spec) ?? {};
  const selector =
    spec.podSelector === undefined || spec.podSelector === null
      ? EVERYTHING
      : parseLabelSelector(spec.podSelector);
  let types = asList(spec.policyTypes).filter((t): t is string => typeof t === "string");
  if (types.length === 0) types = nonEmptyList(spec.egress) ? ["Ingress", "Egress"] : ["Ingress"];
  return {
    resource: r,
    namespace: namespaceOf(r),
    selector,
    denies: {
      ingress: types.includes("Ingress") && k8sRulesRestricted(spec.ingress, "from"),
      egress: types.includes("Egress") && k8sRulesRestricted(spec.egress, "to"),
    },
  };
}

const CILIUM_PEERS: Readonly<Record<Direction, readonly string[]>> = {
  ingress: ["fromEndpoints", "fromCIDR", "fromCIDRSet", "fromEntities", "fromGroups", "fromNodes"],
  egress: [
    "toEndpoints",
    "toCIDR",
    "toCIDRSet",
    "toEntities",
    "toServices",
    "toFQDNs",
    "toGroups",
    "toNodes",
  ],
};
const CATCH_ALL_ENTITIES: ReadonlySet<string> = new Set(["all", "world", "cluster"]);

function ciliumCatchAllRule(rule: Record<string, unknown>, dir: Direction, clusterwide: boolean): boolean {
  const peerFields = CILIUM_PEERS[dir].filter((f) => nonEmptyList(rule[f]));
  if (peerFields.length === 0) return nonEmptyList(rule.toPorts) || nonEmptyList(rule.icmps);
  const prefix = dir === "ingress" ? "from" : "to";
  for (const e of asList(rule[`${prefix}Entities`]))
    if (CATCH_ALL_ENTITIES.has(asString(e) ?? "")) return true;
  for (const c of asList(rule[`${prefix}CIDR`])) if (CATCH_ALL_CIDRS.has(asString(c) ?? "")) return true;
  for (const c of asList(rule[`${prefix}CIDRSet`])) {
    const set = asObject(c);
    if (set && CATCH_ALL_CIDRS.has(asString(set.cidr) ?? "") && !nonEmptyList(set.except)) return true;
  }
  if (clusterwide) {
    for (const s of asList(rule[`${prefix}Endpoints`]))
      if (ciliumSelector(s)?.requirements.length === 0) return true;
  }
  return false;
}

function ciliumDenies(spec: Record<string, unknown>, dir: Direction, clusterwide: boolean): boolean {
  const allow = asList(spec[dir]);
  const deny = asList(spec[`${dir}Deny`]);
  if (allow.length === 0 && deny.length === 0) return false;
  if (asObject(spec.enableDefaultDeny)?.[dir] === false) return false;
  return !allow.some((entry) => {
    const rule = asObject(entry);
    return rule ? ciliumCatchAllRule(rule, dir, clusterwide) : false;
  });
}

function ciliumRules(r: Resource, clusterwide: boolean): SelectingRule[] {
  const specs = [asObject(r.object.spec), ...asList(r.object.specs).map(asObject)];
  const out: SelectingRule[] = [];
  for (const spec of specs) {
    if (!spec) continue;
    // Host policies (nodeSelector) select nodes, not pods.
    if (spec.endpointSelector === undefined || spec.endpointSelector === null) continue;
    const enforces = ["ingress", "ingressDeny", "egress", "egressDeny"].some((f) => nonEmptyList(spec[f]));
    if (!enforces) continue;
    out.push({
      resource: r,
      namespace: clusterwide ? undefined : namespaceOf(r),
      selector: ciliumSelector(spec.endpointSelector),
      denies: {
        ingress: ciliumDenies(spec, "ingress", clusterwide),
        egress: ciliumDenies(spec, "egress", clusterwide),
      },
    });
  }
  return out;
}

/**
 * The labels a policy selector is matched against: the pod's own, plus (for Cilium selectors) the
 * namespace name, the namespace's labels (with `kubernetes.io/metadata.name`) and the service account.
 * Kubernetes pod selectors never name these keys, so adding them changes nothing for NetworkPolicies.
 */
function podLabelsFor(
  podLabels: Readonly<Record<string, string>>,
  namespace: string,
  namespaceLabels: Readonly<Record<string, string>>,
  serviceAccount: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = { ...podLabels, [NS_LABEL]: namespace };
  for (const [k, v] of Object.entries(namespaceLabels)) out[`${NS_LABELS_PREFIX}${k}`] = v;
  out[`${NS_LABELS_PREFIX}kubernetes.io/metadata.name`] = namespace;
  if (serviceAccount) out[SA_LABEL] = serviceAccount;
  return out;
}

/** A workload that policies can select: hostNetwork pods are outside NetworkPolicy and left out. */
export interface PolicyWorkload {
  resource: Resource;
  namespace: string;
  /** Pod template labels plus the namespace-derived labels. */
  labels: Readonly<Record<string, string>>;
}

export interface NetworkIndex {
  /** Namespaces that run workloads, in the order their first workload appears. */
  namespaces: readonly string[];
  workloadsIn(namespace: string): readonly PolicyWorkload[];
  /** The Namespace object, when the input holds it. */
  namespaceObject(namespace: string): Resource | undefined;
  /** Rules that can select pods of the namespace: its own policies, then clusterwide ones. */
  rulesFor(namespace: string): readonly SelectingRule[];
  /** A rule that selects every pod of the namespace and denies the direction by default. */
  defaultDeny(namespace: string, dir: Direction): SelectingRule | undefined;
  /** The first rule that selects the workload's pods. */
  selecting(workload: PolicyWorkload): SelectingRule | undefined;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildIndex(inventory: Inventory): NetworkIndex {
  const namespaceObjects = new Map<string, Resource>();
  for (const r of inventory.byKind("Namespace"))
    if (!namespaceObjects.has(r.name)) namespaceObjects.set(r.name, r);
  const nsLabels = (ns: string) => labelsOf(namespaceObjects.get(ns)?.object);

  const rulesByNamespace = new Map<string, SelectingRule[]>();
  const clusterwide: SelectingRule[] = [];
  for (const r of inventory.byKind("NetworkPolicy"))
    push(rulesByNamespace, namespaceOf(r), networkPolicyRule(r));
  for (const r of inventory.byKind("CiliumNetworkPolicy")) {
    for (const rule of ciliumRules(r, false)) push(rulesByNamespace, namespaceOf(r), rule);
  }
  for (const r of inventory.byKind("CiliumClusterwideNetworkPolicy"))
    clusterwide.push(...ciliumRules(r, true));

  const workloadsByNamespace = new Map<string, PolicyWorkload[]>();
  const namespaces: string[] = [];
  for (const w of runningWorkloads(inventory)) {
    const spec = w.pod?.spec ?? {};
    if (spec.hostNetwork === true) continue;
    const ns = namespaceOf(w);
    if (!workloadsByNamespace.has(ns)) namespaces.push(ns);
    // The merged labels are built when a rule is matched against them, not for every workload.
    let labels: Readonly<Record<string, string>> | undefined;
    push(workloadsByNamespace, ns, {
      resource: w,
      namespace: ns,
      get labels() {
        if (!labels) {
          const sa =
            asNonEmptyString(spec.serviceAccountName) ?? asNonEmptyString(spec.serviceAccount) ?? "default";
          labels = podLabelsFor(labelMap(w.pod?.metadata.labels), ns, nsLabels(ns), sa);
        }
        return labels;
      },
    });
  }

  const rulesMemo = new Map<string, SelectingRule[]>();
  const rulesFor = (ns: string): SelectingRule[] => {
    let rules = rulesMemo.get(ns);
    if (!rules) {
      rules = [...(rulesByNamespace.get(ns) ?? []), ...clusterwide];
      rulesMemo.set(ns, rules);
    }
    return rules;
  };

  // A pod with no labels of its own: a selector that only names namespace keys and matches it selects every pod.
  const bareMemo = new Map<string, Record<string, string>>();
  const selectsAll = (rule: SelectingRule, ns: string): boolean => {
    if (!rule.selector || (rule.namespace !== undefined && rule.namespace !== ns)) return false;
    if (!rule.selector.requirements.every((q) => isNamespaceKey(q.key))) return false;
    let bare = bareMemo.get(ns);
    if (!bare) {
      bare = podLabelsFor({}, ns, nsLabels(ns), undefined);
      bareMemo.set(ns, bare);
    }
    return matchesLabels(rule.selector, bare);
  };

  const denyMemo = new Map<string, SelectingRule | null>();
  const defaultDeny = (ns: string, dir: Direction): SelectingRule | undefined => {
    const key = `${dir}\u0000${ns}`;
    const memo = denyMemo.get(key);
    if (memo !== undefined) return memo ?? undefined;
    const found = rulesFor(ns).find((rule) => rule.denies[dir] && selectsAll(rule, ns));
    denyMemo.set(key, found ?? null);
    return found;
  };

  const allMemo = new Map<string, SelectingRule | null>();
  const selectingAll = (ns: string): SelectingRule | undefined => {
    const memo = allMemo.get(ns);
    if (memo !== undefined) return memo ?? undefined;
    const found = rulesFor(ns).find((rule) => selectsAll(rule, ns));
    allMemo.set(ns, found ?? null);
    return found;
  };

  return {
    namespaces,
    workloadsIn: (ns) => workloadsByNamespace.get(ns) ?? [],
    namespaceObject: (ns) => namespaceObjects.get(ns),
    rulesFor,
    defaultDeny,
    selecting: (w) =>
      selectingAll(w.namespace) ??
      rulesFor(w.namespace).find(
        (rule) =>
          (rule.namespace === undefined || rule.namespace === w.namespace) &&
          matchesLabels(rule.selector, w.labels),
      ),
  };
}

/** The network index of an inventory, built once. */
export const networkIndex: (inventory: Inventory) => NetworkIndex = perInventory(buildIndex);

const LISTED = 3;

/** `Deployment "web", StatefulSet "db" and 2 more`. */
export function describeWorkloads(workloads: readonly PolicyWorkload[]): string {
  const names = workloads.slice(0, LISTED).map((w) => `${w.resource.kind} "${w.resource.name}"`);
  const rest = workloads.length - LISTED;
  return rest > 0 ? `${names.join(", ")} and ${rest} more` : names.join(", ");
}

/** Shared `applies` of the namespace checks: the input runs at least one pod outside the host network. */
export function runsWorkloads(inventory: Inventory): boolean {
  return networkIndex(inventory).namespaces.length > 0;
}

/** Findings for one direction, on the Namespace object when the input holds it, else on its first workload. */
export function missingDefaultDeny(inventory: Inventory, dir: Direction): RawFinding[] {
  const index = networkIndex(inventory);
  const out: RawFinding[] = [];
  for (const ns of index.namespaces) {
    if (index.defaultDeny(ns, dir)) continue;
    const workloads = index.workloadsIn(ns);
    const first = workloads[0];
    if (!first) continue;
    const nsObject = index.namespaceObject(ns);
    const what = `Namespace "${ns}"${nsObject ? "" : " (not in the input)"} runs ${describeWorkloads(workloads)} but has no default-deny ${dir} policy: no NetworkPolicy with an empty podSelector and policyTypes ${dir === "ingress" ? "Ingress" : "Egress"} that allows only named peers, and no Cilium policy doing the same for all its endpoints`;
    out.push(
      nsObject
        ? { resource: nsObject, path: ["metadata", "name"], message: what }
        : { resource: first.resource, path: ["metadata", "namespace"], message: what },
    );
  }
  return out;
}
