/**
 * Pod-to-pod encryption without Cilium: in a cluster snapshot whose CNI is not Cilium, pod traffic
 * between nodes is plaintext unless the CNI encrypts it (Calico WireGuard, flannel's wireguard or ipsec
 * backend, Antrea, Weave Net with a password) or a mesh enforces mTLS mesh-wide (an Istio
 * PeerAuthentication with mtls.mode STRICT and no selector in the root namespace). With mesh-wide STRICT,
 * a namespace or workload PeerAuthentication that lowers the mode is still reported (medium).
 */
import type { Path, Resource } from "../../ingest/types.ts";
import { podContainers } from "../common/containers.ts";
import { asList, asObject, asString, getIn } from "../common/objects.ts";
import type { CheckContext, RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  anchorResource,
  configData,
  describeObject,
  hasCilium,
  POD_TRAFFIC_FRAMEWORKS,
  quoteList,
  REF,
} from "./util.ts";

/** Known CNI agent DaemonSets, by name. */
const CNI_DAEMONSETS: Readonly<Record<string, string>> = {
  "calico-node": "Calico",
  canal: "Canal",
  "kube-flannel-ds": "flannel",
  "kube-flannel": "flannel",
  "aws-node": "AWS VPC CNI",
  "weave-net": "Weave Net",
  "antrea-agent": "Antrea",
  "kube-router": "kube-router",
  "azure-cns": "Azure CNI",
  kindnet: "kindnet",
  "kube-ovn-cni": "Kube-OVN",
  "ovnkube-node": "OVN-Kubernetes",
};

const WEAK_MODES = new Set(["PERMISSIVE", "DISABLE"]);

interface Verdict {
  encrypted: boolean;
  /** The object to report on and the field at fault. */
  resource?: Resource;
  path?: Path;
  what: string;
}

/** Istio root namespaces: meshConfig.rootNamespace, which defaults to istiod's namespace (istio-system). */
function istioRootNamespaces(ctx: CheckContext): Set<string> {
  const roots = new Set<string>();
  for (const cm of ctx.inventory.byKind("ConfigMap")) {
    if (cm.name !== "istio" && !cm.name.startsWith("istio-")) continue;
    const mesh = asString(configData(cm).mesh);
    if (mesh === undefined) continue;
    const m = /^\s*rootNamespace:\s*["']?([a-z0-9-]+)/m.exec(mesh);
    const root = m?.[1] ?? cm.namespace;
    if (root) roots.add(root);
  }
  if (roots.size === 0) roots.add("istio-system");
  return roots;
}

function selectsAll(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  const labels = asObject(asObject(selector)?.matchLabels);
  return !labels || Object.keys(labels).length === 0;
}

/** The mesh-wide mTLS state and, when it is STRICT, the PeerAuthentications that weaken it. */
function istio(ctx: CheckContext): { strict: boolean; meshWide: Resource[]; overrides: RawFinding[] } {
  const roots = istioRootNamespaces(ctx);
  const pas = ctx.inventory
    .byKind("PeerAuthentication")
    .filter((r) => r.apiVersion.startsWith("security.istio.io/"));
  const mode = (r: Resource) =>
    (asString(getIn(r.object, ["spec", "mtls", "mode"])) ?? "UNSET").toUpperCase();
  const meshWide = pas.filter(
    (r) =>
      r.namespace !== undefined &&
      roots.has(r.namespace) &&
      selectsAll(getIn(r.object, ["spec", "selector"])),
  );
  const strict = meshWide.length > 0 && meshWide.every((r) => mode(r) === "STRICT");
  const overrides: RawFinding[] = [];
  if (!strict) return { strict, meshWide, overrides };
  for (const r of pas) {
    if (meshWide.includes(r)) continue;
    const m = mode(r);
    const where = `${describeObject(r)} in namespace ${r.namespace ?? "default"}`;
    if (WEAK_MODES.has(m)) {
      overrides.push({
        resource: r,
        path: ["spec", "mtls", "mode"],
        severity: "medium",
        message: `${where} sets spec.mtls.mode=${m}, overriding the mesh-wide STRICT mTLS: plaintext pod traffic is accepted there`,
      });
    }
    const ports = asObject(getIn(r.object, ["spec", "portLevelMtls"])) ?? {};
    for (const [port, v] of Object.entries(ports)) {
      const pm = (asString(asObject(v)?.mode) ?? "").toUpperCase();
      if (!WEAK_MODES.has(pm)) continue;
      overrides.push({
        resource: r,
        path: ["spec", "portLevelMtls", port, "mode"],
        severity: "medium",
        message: `${where} sets spec.portLevelMtls["${port}"].mode=${pm}, overriding the mesh-wide STRICT mTLS: plaintext traffic to that port is accepted`,
      });
    }
  }
  return { strict, meshWide, overrides };
}

function flannelBackend(cm: Resource): string | undefined {
  const raw = asString(configData(cm)["net-conf.json"]);
  if (raw === undefined) return undefined;
  try {
    const type = getIn(JSON.parse(raw), ["Backend", "Type"]);
    return typeof type === "string" ? type.toLowerCase() : "vxlan";
  } catch {
    return "unreadable";
  }
}

function calico(ctx: CheckContext, ds: Resource | undefined, name: string): Verdict {
  const felix = ctx.inventory
    .byKind("FelixConfiguration")
    .find(
      (r) =>
        r.name === "default" &&
        (r.apiVersion === "crd.projectcalico.org/v1" || r.apiVersion === "projectcalico.org/v3"),
    );
  const on = felix ? getIn(felix.object, ["spec", "wireguardEnabled"]) === true : false;
  if (on) return { encrypted: true, what: `${name} with WireGuard` };
  return felix
    ? {
        encrypted: false,
        resource: felix,
        path: ["spec", "wireguardEnabled"],
        what: `${name}, and FelixConfiguration "default" does not set spec.wireguardEnabled=true`,
      }
    : {
        encrypted: false,
        ...(ds ? { resource: ds, path: [] } : {}),
        what: `${name} without a FelixConfiguration "default" that sets spec.wireguardEnabled=true`,
      };
}

function flannel(ctx: CheckContext, ds: Resource | undefined, name: string): Verdict {
  const cm = ctx.inventory
    .byKind("ConfigMap")
    .find(
      (r) => (r.name === "kube-flannel-cfg" || r.name === "canal-config") && flannelBackend(r) !== undefined,
    );
  const backend = cm ? flannelBackend(cm) : undefined;
  if (backend === "wireguard" || backend === "ipsec")
    return { encrypted: true, what: `${name} (${backend})` };
  if (!cm) return { encrypted: false, ...(ds ? { resource: ds, path: [] } : {}), what: name };
  return {
    encrypted: false,
    resource: cm,
    path: ["data", "net-conf.json"],
    what: `${name} with the "${backend}" backend (not wireguard or ipsec)`,
  };
}

function antrea(ctx: CheckContext, ds: Resource | undefined, name: string): Verdict {
  const cm = ctx.inventory.byKind("ConfigMap").find((r) => r.name.startsWith("antrea-config"));
  const conf = cm ? asString(configData(cm)["antrea-agent.conf"]) : undefined;
  const mode = conf
    ? /^\s*trafficEncryptionMode:\s*["']?([A-Za-z]+)/m.exec(conf)?.[1]?.toLowerCase()
    : undefined;
  if (mode === "wireguard" || mode === "ipsec") return { encrypted: true, what: `${name} (${mode})` };
  return {
    encrypted: false,
    ...(ds ? { resource: ds, path: [] } : {}),
    what: `${name} without trafficEncryptionMode wireGuard or ipsec`,
  };
}

function weave(ds: Resource, name: string): Verdict {
  const password = podContainers(ds, ["containers"]).some((c) =>
    asList(c.container.env).some((e) => asObject(e)?.name === "WEAVE_PASSWORD"),
  );
  return password
    ? { encrypted: true, what: `${name} with WEAVE_PASSWORD (encrypted)` }
    : { encrypted: false, resource: ds, path: [], what: `${name} without WEAVE_PASSWORD` };
}

/** What the CNI of the snapshot is and whether it encrypts pod traffic. */
function cniVerdict(ctx: CheckContext): Verdict {
  const known = ctx.inventory
    .byKind("DaemonSet")
    .filter((r) => Object.hasOwn(CNI_DAEMONSETS, r.name))
    .sort(
      (a, b) => Object.keys(CNI_DAEMONSETS).indexOf(a.name) - Object.keys(CNI_DAEMONSETS).indexOf(b.name),
    );
  const ds = known[0];
  const label = ds ? `${CNI_DAEMONSETS[ds.name]} (${describeObject(ds)})` : undefined;
  if (ds && label) {
    switch (CNI_DAEMONSETS[ds.name]) {
      case "Calico":
        return calico(ctx, ds, label);
      case "Canal":
      case "flannel":
        return flannel(ctx, ds, label);
      case "Antrea":
        return antrea(ctx, ds, label);
      case "Weave Net":
        return weave(ds, label);
      default:
        return {
          encrypted: false,
          resource: ds,
          path: [],
          what: `${label}, which does not encrypt pod traffic`,
        };
    }
  }
  if (ctx.inventory.byKind("FelixConfiguration").length > 0) return calico(ctx, undefined, "Calico");
  if (ctx.inventory.byKind("ConfigMap").some((r) => r.name === "kube-flannel-cfg")) {
    return flannel(ctx, undefined, "flannel");
  }
  return {
    encrypted: false,
    what: "not recognised (no Cilium, Calico, flannel or other known CNI agent found)",
  };
}

function findings(ctx: CheckContext): RawFinding[] {
  const mesh = istio(ctx);
  if (mesh.strict) return mesh.overrides;
  const cni = cniVerdict(ctx);
  if (cni.encrypted) return [];
  const resource = cni.resource ?? anchorResource(ctx);
  if (!resource) return [];
  const roots = [...istioRootNamespaces(ctx)];
  const meshNote =
    mesh.meshWide.length > 0
      ? `the mesh-wide PeerAuthentication ${quoteList(mesh.meshWide.map((r) => r.name))} does not set spec.mtls.mode=STRICT`
      : `no PeerAuthentication without selector in ${roots.join(", ")} enforces STRICT mTLS mesh-wide`;
  return [
    {
      resource,
      path: cni.resource ? (cni.path ?? []) : [],
      message: `Pod-to-pod traffic is not encrypted: the cluster's CNI is ${cni.what}, and ${meshNote}`,
    },
  ];
}

export const podTrafficUnencrypted = defineCheck({
  id: "encryption.pod-traffic-unencrypted",
  scope: "cluster",
  title: "Pod-to-pod traffic not encrypted (CNI without encryption, no mesh-wide mTLS)",
  severity: "high",
  description:
    'Cluster snapshots whose CNI is not Cilium (no Cilium agent DaemonSet and no cilium-config; Cilium is judged by the encryption.cilium-* checks). The CNI is found by its DaemonSet (calico-node, canal, kube-flannel-ds, aws-node, weave-net, antrea-agent, kube-router, …). Passes when the CNI encrypts pod traffic — Calico: FelixConfiguration "default" (crd.projectcalico.org/v1) spec.wireguardEnabled: true; flannel/Canal: net-conf.json Backend.Type wireguard or ipsec; Antrea: trafficEncryptionMode wireGuard or ipsec; Weave Net: WEAVE_PASSWORD set — or when Istio enforces mTLS mesh-wide: every PeerAuthentication (security.istio.io) in the root namespace (meshConfig.rootNamespace, istio-system by default) without a selector sets spec.mtls.mode: STRICT. With mesh-wide STRICT, a namespace or workload PeerAuthentication whose spec.mtls.mode or spec.portLevelMtls[].mode is PERMISSIVE or DISABLE is reported at medium severity. Mesh mTLS protects only pods that run a sidecar or are enrolled in ambient mode.',
  remediation:
    'Encrypt pod traffic in the CNI (Calico: `kubectl patch felixconfiguration default --type=merge -p \'{"spec":{"wireguardEnabled":true}}\'`; flannel: the wireguard backend; or move to Cilium with WireGuard), or enforce mesh-wide mTLS with a PeerAuthentication named default in istio-system with spec.mtls.mode: STRICT and no selector.',
  references: [
    REF.istioPeerAuthentication,
    REF.istioMtlsMigration,
    REF.calicoWireguard,
    REF.flannelBackends,
    REF.nsa,
  ],
  frameworks: POD_TRAFFIC_FRAMEWORKS,
  applies: (ctx) => ctx.inventory.snapshot !== undefined && !hasCilium(ctx),
  evaluate(ctx) {
    if (!ctx.inventory.snapshot || hasCilium(ctx)) return [];
    return findings(ctx);
  },
});
