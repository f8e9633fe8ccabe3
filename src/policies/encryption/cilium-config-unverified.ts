/**
 * Pod-to-pod encryption with Cilium: the agent DaemonSet alone does not tell whether transparent
 * encryption is on; that is in the cilium-config ConfigMap. Reported as info, not as a failure.
 */
import { defineCheck } from "../types.ts";
import { ciliumConfigs, ciliumDaemonSets, describeObject, REF } from "./util.ts";

export const ciliumConfigUnverified = defineCheck({
  id: "encryption.cilium-config-unverified",
  scope: "cluster",
  title: "Cilium agent without its cilium-config: cannot verify encryption",
  severity: "info",
  description:
    "Reported for each Cilium agent DaemonSet (named `cilium`, or with a container running the `cilium/cilium` image, e.g. quay.io/cilium/cilium) when the input holds no ConfigMap named `cilium-config`, so whether WireGuard or IPsec encryption is on cannot be checked. Informational: it does not count as a failure.",
  remediation:
    "Scan the cilium-config ConfigMap with the DaemonSet (for a Helm install: `helm template` renders both), or scan a cluster snapshot.",
  references: [REF.ciliumEncryption],
  frameworks: {},
  applies: (ctx) => ciliumDaemonSets(ctx).length > 0,
  evaluate(ctx) {
    if (ciliumConfigs(ctx).length > 0) return [];
    return ciliumDaemonSets(ctx).map((ds) => ({
      resource: ds,
      path: [],
      message: `${describeObject(ds)} runs the Cilium agent but the input holds no cilium-config ConfigMap: whether pod traffic is encrypted (enable-wireguard, enable-ipsec) cannot be verified`,
    }));
  },
});
