import { describe, expect, it } from "vitest";
import { ciliumConfigUnverified } from "./cilium-config-unverified.ts";
import { ciliumEncryptionDisabled } from "./cilium-encryption-disabled.ts";
import { ciliumNodeConfigDisablesEncryption } from "./cilium-node-config-disables-encryption.ts";
import { ciliumNodeEncryptionOff } from "./cilium-node-encryption-off.ts";
import { ciliumStrictModeOff } from "./cilium-strict-mode-off.ts";
import { ctxOf, run } from "./test-helpers.ts";
import { ciliumDaemonSets, parseBool } from "./util.ts";

/** A cilium-config ConfigMap with the given data lines. */
function cm(data: Record<string, string | boolean> | null, ns = "kube-system"): string {
  const body =
    data === null
      ? ""
      : `data:\n${Object.entries(data)
          .map(([k, v]) => `  ${k}: ${typeof v === "string" ? JSON.stringify(v) : v}`)
          .join("\n")}\n`;
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cilium-config\n  namespace: ${ns}\n${body}`;
}

function ds(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: ${name}}}
  template:
    metadata: {labels: {k8s-app: ${name}}}
    spec:
      containers:
        - name: agent
          image: ${image}
`;
}

describe("parseBool (Go strconv.ParseBool)", () => {
  it.each<[unknown, boolean | undefined]>([
    ["true", true],
    ["True", true],
    ["TRUE", true],
    ["t", true],
    ["1", true],
    ["false", false],
    ["0", false],
    ["F", false],
    ["yes", undefined],
    ["tRuE", undefined],
    [" true", undefined],
    [true, undefined],
    [undefined, undefined],
  ])("%j → %s", (v, want) => {
    expect(parseBool(v)).toBe(want);
  });
});

describe("encryption.cilium-encryption-disabled", () => {
  it.each<[string, Record<string, string | boolean> | null, string | undefined, (string | number)[]]>([
    ["wireguard on", { "enable-wireguard": "true" }, undefined, []],
    ["ipsec on", { "enable-ipsec": "true", "ipsec-key-file": "/etc/ipsec/keys" }, undefined, []],
    ["ztunnel on", { "enable-ztunnel": "true" }, undefined, []],
    ["True is true for Cilium", { "enable-wireguard": "True" }, undefined, []],
    [
      "no encryption key",
      { "enable-ipv4": "true" },
      'ConfigMap "cilium-config" sets none of data.enable-wireguard, data.enable-ipsec or data.enable-ztunnel to "true": pod-to-pod traffic between nodes is not encrypted',
      ["data", "enable-wireguard"],
    ],
    [
      "ipsec explicitly off",
      { "enable-ipsec": "false" },
      '(data.enable-ipsec="false")',
      ["data", "enable-ipsec"],
    ],
    [
      "a YAML boolean is not a ConfigMap string",
      { "enable-wireguard": true },
      "sets none of",
      ["data", "enable-wireguard"],
    ],
    [
      "yes is not a Go boolean",
      { "enable-wireguard": "yes" },
      '(data.enable-wireguard="yes")',
      ["data", "enable-wireguard"],
    ],
    ["no data at all", null, "sets none of", []],
  ])("%s", (_name, data, want, path) => {
    const f = run(ciliumEncryptionDisabled, cm(data));
    if (!want) return expect(f).toEqual([]);
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain(want);
    expect(f[0]?.path).toEqual(path);
  });

  it("judges every cilium-config, in any namespace", () => {
    const f = run(ciliumEncryptionDisabled, `${cm({ "enable-wireguard": "true" })}---\n${cm({}, "cilium")}`);
    expect(f.map((x) => x.resource.namespace)).toEqual(["cilium"]);
  });

  it("ignores other ConfigMaps and does not apply without cilium-config", () => {
    const other = cm({}).replace("name: cilium-config", "name: cilium-envoy-config");
    expect(ciliumEncryptionDisabled.applies(ctxOf(other))).toBe(false);
  });
});

describe("encryption.cilium-node-encryption-off", () => {
  it.each<[string, Record<string, string>, boolean]>([
    ["wireguard with encrypt-node", { "enable-wireguard": "true", "encrypt-node": "true" }, false],
    ["wireguard without encrypt-node", { "enable-wireguard": "true" }, true],
    ["wireguard with encrypt-node false", { "enable-wireguard": "true", "encrypt-node": "false" }, true],
    ["ipsec (node encryption not supported)", { "enable-ipsec": "true" }, false],
    ["encryption off (another check)", {}, false],
  ])("%s", (_name, data, fails) => {
    const f = run(ciliumNodeEncryptionOff, cm(data));
    expect(f.length > 0).toBe(fails);
    if (fails) expect(f[0]?.path).toEqual(["data", "encrypt-node"]);
  });

  it("names the value it found", () => {
    const f = run(ciliumNodeEncryptionOff, cm({ "enable-wireguard": "true", "encrypt-node": "false" }));
    expect(f[0]?.message).toBe(
      'ConfigMap "cilium-config" enables WireGuard but has data.encrypt-node="false": traffic between nodes outside pods (host network) is not encrypted',
    );
  });
});

describe("encryption.cilium-strict-mode-off", () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    [
      "1.14–1.17 strict mode",
      { "enable-wireguard": "true", "enable-encryption-strict-mode": "true" },
      undefined,
    ],
    [
      "1.18+ egress strict mode",
      { "enable-wireguard": "true", "enable-encryption-strict-mode-egress": "true" },
      undefined,
    ],
    [
      "wireguard-strict-mode spelling",
      { "enable-wireguard": "true", "enable-wireguard-strict-mode": "true" },
      undefined,
    ],
    [
      "wireguard without strict mode",
      { "enable-wireguard": "true" },
      "enables WireGuard without strict mode",
    ],
    ["ipsec without strict mode", { "enable-ipsec": "true" }, "enables IPsec without strict mode"],
    [
      "strict mode off",
      { "enable-wireguard": "true", "enable-encryption-strict-mode": "false" },
      "without strict mode",
    ],
    ["encryption off", {}, undefined],
    ["ztunnel only", { "enable-ztunnel": "true" }, undefined],
  ])("%s", (_name, data, want) => {
    const f = run(ciliumStrictModeOff, cm(data));
    if (!want) return expect(f).toEqual([]);
    expect(f[0]?.message).toContain(want);
  });

  it("points at the strict-mode key that is present", () => {
    const f = run(
      ciliumStrictModeOff,
      cm({ "enable-wireguard": "true", "enable-encryption-strict-mode": "false" }),
    );
    expect(f[0]?.path).toEqual(["data", "enable-encryption-strict-mode"]);
  });
});

describe("encryption.cilium-config-unverified", () => {
  it.each<[string, string, boolean]>([
    ["DaemonSet cilium", ds("cilium", "quay.io/cilium/cilium:v1.16.5"), true],
    ["agent image under another name", ds("cni-agent", "docker.io/cilium/cilium:v1.15.0@sha256:0123"), true],
    ["cilium-envoy is not the agent", ds("cilium-envoy", "quay.io/cilium/cilium-envoy:v1.30.8"), false],
    ["operator is not the agent", ds("cilium-operator", "quay.io/cilium/operator-generic:v1.16.5"), false],
  ])("%s", (_name, yaml, agent) => {
    expect(ciliumDaemonSets(ctxOf(yaml)).length > 0).toBe(agent);
    const f = run(ciliumConfigUnverified, yaml);
    expect(f.length > 0).toBe(agent);
    if (agent) expect(f[0]?.message).toContain("cannot be verified");
  });

  it("passes with a cilium-config in the input", () => {
    expect(
      run(ciliumConfigUnverified, `${ds("cilium", "quay.io/cilium/cilium:v1.16.5")}---\n${cm({})}`),
    ).toEqual([]);
  });
});

describe("encryption.cilium-node-config-disables-encryption", () => {
  const ncfg = (apiVersion: string, defaults: Record<string, string>) =>
    `apiVersion: ${apiVersion}
kind: CiliumNodeConfig
metadata: {name: override, namespace: kube-system}
spec:
  nodeSelector: {matchLabels: {pool: gpu}}
  defaults:
${Object.entries(defaults)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join("\n")}
`;

  it.each<[string, string, Record<string, string>, string[]]>([
    ["wireguard false", "cilium.io/v2", { "enable-wireguard": "false" }, ["enable-wireguard"]],
    ["ipsec 0 (v2alpha1)", "cilium.io/v2alpha1", { "enable-ipsec": "0" }, ["enable-ipsec"]],
    [
      "both",
      "cilium.io/v2",
      { "enable-wireguard": "false", "enable-ztunnel": "False" },
      ["enable-wireguard", "enable-ztunnel"],
    ],
    ["wireguard true", "cilium.io/v2", { "enable-wireguard": "true" }, []],
    ["unrelated keys", "cilium.io/v2", { "enable-bgp-control-plane": "true" }, []],
    ["another API group", "example.com/v1", { "enable-wireguard": "false" }, []],
  ])("%s", (_name, apiVersion, defaults, keys) => {
    const f = run(ciliumNodeConfigDisablesEncryption, ncfg(apiVersion, defaults));
    expect(f.map((x) => x.path)).toEqual(keys.map((k) => ["spec", "defaults", k]));
  });

  it("message names the override and the nodes", () => {
    const f = run(ciliumNodeConfigDisablesEncryption, ncfg("cilium.io/v2", { "enable-ipsec": "false" }));
    expect(f[0]?.message).toBe(
      'CiliumNodeConfig "override" sets spec.defaults.enable-ipsec="false": pods on the nodes matching spec.nodeSelector run without IPsec encryption',
    );
  });
});
