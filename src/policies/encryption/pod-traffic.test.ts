import { describe, expect, it } from "vitest";
import { getFramework } from "../frameworks.ts";
import type { ClusterCheck } from "../types.ts";
import { encryptionChecks } from "./index.ts";
import { podTrafficUnencrypted } from "./pod-traffic-unencrypted.ts";
import { ctxOf, run } from "./test-helpers.ts";

const SNAP = { cluster: "test", provider: "kubeadm" };

function ds(name: string, ns: string, extra = ""): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {k8s-app: ${name}}}
  template:
    metadata: {labels: {k8s-app: ${name}}}
    spec:
      containers:
        - name: agent
          image: example/${name}:v1
${extra}`;
}

const flannelCfg = (backend: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: kube-flannel-cfg, namespace: kube-flannel}
data:
  net-conf.json: |
    {"Network": "10.244.0.0/16", "Backend": {"Type": "${backend}"}}
`;

const felix = (wg: boolean) => `apiVersion: crd.projectcalico.org/v1
kind: FelixConfiguration
metadata: {name: default}
spec:
  wireguardEnabled: ${wg}
`;

const pa = (name: string, ns: string, spec: string) =>
  `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
`;

const STRICT = pa("default", "istio-system", "mtls: {mode: STRICT}");
const FLANNEL = `${ds("kube-flannel-ds", "kube-flannel")}---\n${flannelCfg("vxlan")}`;

const docs = (...d: string[]) => d.join("---\n");

describe("encryption.pod-traffic-unencrypted", () => {
  it("flannel vxlan: high, at net-conf.json", () => {
    const f = run(podTrafficUnencrypted, FLANNEL, SNAP);
    expect(f).toHaveLength(1);
    expect(f[0]?.resource.name).toBe("kube-flannel-cfg");
    expect(f[0]?.path).toEqual(["data", "net-conf.json"]);
    expect(f[0]?.severity).toBeUndefined();
    expect(f[0]?.message).toBe(
      'Pod-to-pod traffic is not encrypted: the cluster\'s CNI is flannel (DaemonSet "kube-flannel-ds") with the "vxlan" backend (not wireguard or ipsec), and no PeerAuthentication without selector in istio-system enforces STRICT mTLS mesh-wide',
    );
  });

  it.each<[string, string, boolean]>([
    [
      "flannel wireguard backend",
      docs(ds("kube-flannel-ds", "kube-flannel"), flannelCfg("wireguard")),
      false,
    ],
    ["flannel ipsec backend", docs(ds("kube-flannel-ds", "kube-flannel"), flannelCfg("ipsec")), false],
    ["flannel host-gw backend", docs(ds("kube-flannel-ds", "kube-flannel"), flannelCfg("host-gw")), true],
    ["Calico with WireGuard", docs(ds("calico-node", "calico-system"), felix(true)), false],
    ["Calico without WireGuard", docs(ds("calico-node", "calico-system"), felix(false)), true],
    ["Calico without FelixConfiguration", ds("calico-node", "kube-system"), true],
    ["AWS VPC CNI", ds("aws-node", "kube-system"), true],
    [
      "Weave Net with a password",
      ds(
        "weave-net",
        "kube-system",
        "          env: [{name: WEAVE_PASSWORD, valueFrom: {secretKeyRef: {name: weave-passwd, key: weave-passwd}}}]\n",
      ),
      false,
    ],
    ["Weave Net without a password", ds("weave-net", "kube-system"), true],
    ["unknown CNI", "apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n", true],
    ["flannel + mesh-wide STRICT", docs(FLANNEL, STRICT), false],
    [
      "flannel + mesh-wide PERMISSIVE",
      docs(FLANNEL, pa("default", "istio-system", "mtls: {mode: PERMISSIVE}")),
      true,
    ],
    [
      "flannel + STRICT outside the root namespace",
      docs(FLANNEL, pa("default", "payments", "mtls: {mode: STRICT}")),
      true,
    ],
    [
      "flannel + STRICT with a selector in the root namespace",
      docs(FLANNEL, pa("gw", "istio-system", "selector: {matchLabels: {app: gw}}\nmtls: {mode: STRICT}")),
      true,
    ],
    [
      "custom root namespace from the mesh config",
      docs(
        FLANNEL,
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |-\n    rootNamespace: "mesh-root"\n    defaultConfig: {}\n',
        pa("default", "mesh-root", "mtls: {mode: STRICT}"),
      ),
      false,
    ],
  ])("%s", (_name, yaml, fails) => {
    expect(run(podTrafficUnencrypted, yaml, SNAP).length > 0).toBe(fails);
  });

  it("Antrea with WireGuard traffic encryption passes", () => {
    const cfg =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: antrea-config, namespace: kube-system}\ndata:\n  antrea-agent.conf: |\n    trafficEncapMode: encap\n    trafficEncryptionMode: wireGuard\n";
    expect(run(podTrafficUnencrypted, docs(ds("antrea-agent", "kube-system"), cfg), SNAP)).toEqual([]);
    expect(run(podTrafficUnencrypted, ds("antrea-agent", "kube-system"), SNAP)).toHaveLength(1);
  });

  it("Calico without WireGuard points at FelixConfiguration spec.wireguardEnabled", () => {
    const f = run(podTrafficUnencrypted, docs(ds("calico-node", "calico-system"), felix(false)), SNAP);
    expect(f[0]?.resource.kind).toBe("FelixConfiguration");
    expect(f[0]?.path).toEqual(["spec", "wireguardEnabled"]);
  });

  it("names a non-STRICT mesh-wide policy", () => {
    const f = run(
      podTrafficUnencrypted,
      docs(FLANNEL, pa("default", "istio-system", "mtls: {mode: PERMISSIVE}")),
      SNAP,
    );
    expect(f[0]?.message).toContain(
      'the mesh-wide PeerAuthentication "default" does not set spec.mtls.mode=STRICT',
    );
  });

  it("with mesh-wide STRICT, namespace and port overrides are reported at medium", () => {
    const yaml = docs(
      FLANNEL,
      STRICT,
      pa("legacy", "billing", "mtls: {mode: PERMISSIVE}"),
      pa(
        "metrics",
        "shop",
        "selector: {matchLabels: {app: web}}\nmtls: {mode: STRICT}\nportLevelMtls:\n  '9090': {mode: DISABLE}",
      ),
      pa("inherit", "ok", "mtls: {mode: UNSET}"),
    );
    const f = run(podTrafficUnencrypted, yaml, SNAP);
    expect(f.map((x) => [x.resource.name, x.path, x.severity])).toEqual([
      ["legacy", ["spec", "mtls", "mode"], "medium"],
      ["metrics", ["spec", "portLevelMtls", "9090", "mode"], "medium"],
    ]);
    expect(f[0]?.message).toBe(
      'PeerAuthentication "legacy" in namespace billing sets spec.mtls.mode=PERMISSIVE, overriding the mesh-wide STRICT mTLS: plaintext pod traffic is accepted there',
    );
  });

  it("applies only to snapshots without Cilium", () => {
    const ctxUpload = ctxOf(FLANNEL);
    expect(podTrafficUnencrypted.applies(ctxUpload)).toBe(false);
    const cilium =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {}\n";
    expect(podTrafficUnencrypted.applies(ctxOf(cilium, SNAP))).toBe(false);
    expect(podTrafficUnencrypted.applies(ctxOf(ds("cilium", "kube-system"), SNAP))).toBe(false);
    expect(podTrafficUnencrypted.applies(ctxOf(FLANNEL, SNAP))).toBe(true);
  });

  it("never throws on odd shapes", () => {
    const odd = docs(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-flannel-cfg, namespace: x}\ndata:\n  net-conf.json: '{not json'\n",
      "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: istio-system}\nspec: {mtls: 5, selector: 3, portLevelMtls: [1]}\n",
      "apiVersion: crd.projectcalico.org/v1\nkind: FelixConfiguration\nmetadata: {name: default}\nspec: 7\n",
    );
    expect(() => run(podTrafficUnencrypted, odd, SNAP)).not.toThrow();
  });
});

describe("applicability", () => {
  it("a manifest upload without EncryptionConfiguration, apiserver or Cilium: nothing applies", () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {LOG_LEVEL: info}
`;
    const ctx = ctxOf(yaml);
    for (const c of encryptionChecks as ClusterCheck[]) {
      expect([c.id, c.applies?.(ctx)]).toEqual([c.id, false]);
      expect(c.evaluate(ctx)).toEqual([]);
    }
  });

  it("every check is a cluster check with applies()", () => {
    for (const c of encryptionChecks) {
      expect(c.scope).toBe("cluster");
      expect(typeof (c as ClusterCheck).applies).toBe("function");
      expect(c.remediation.endsWith(".")).toBe(true);
      expect(c.id.startsWith("encryption.")).toBe(true);
      for (const [fw, control] of Object.entries(c.frameworks)) {
        expect([c.id, fw, getFramework(fw)?.controls.some((x) => x.id === control)]).toEqual([
          c.id,
          fw,
          true,
        ]);
      }
    }
  });
});
