/**
 * Pod-to-pod encryption with Cilium: a CiliumNodeConfig overrides cilium-config on the nodes it selects,
 * and can switch encryption off there while the cluster-wide configuration has it on.
 */
import type { RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import {
  CILIUM_ENCRYPTION_KEYS,
  ciliumNodeConfigs,
  describeObject,
  POD_TRAFFIC_FRAMEWORKS,
  parseBool,
  REF,
} from "./util.ts";

export const ciliumNodeConfigDisablesEncryption = defineCheck({
  id: "encryption.cilium-node-config-disables-encryption",
  scope: "cluster",
  title: "CiliumNodeConfig turns encryption off on some nodes",
  severity: "medium",
  description:
    'Reads spec.defaults of every CiliumNodeConfig (cilium.io/v2, cilium.io/v2alpha1). Its keys override cilium-config on the nodes matching spec.nodeSelector; `enable-wireguard`, `enable-ipsec` or `enable-ztunnel` set to a false value ("false", "False", "0", …) there turns transparent encryption off for pods on those nodes.',
  remediation:
    'Remove the enable-wireguard/enable-ipsec/enable-ztunnel override from the CiliumNodeConfig (or set it to "true") and restart the Cilium agents on the selected nodes.',
  references: [REF.ciliumNodeConfig, REF.ciliumEncryption],
  frameworks: POD_TRAFFIC_FRAMEWORKS,
  applies: (ctx) => ciliumNodeConfigs(ctx).length > 0,
  evaluate(ctx) {
    const out: RawFinding[] = [];
    for (const { resource, defaults } of ciliumNodeConfigs(ctx)) {
      for (const key of CILIUM_ENCRYPTION_KEYS) {
        if (parseBool(defaults[key]) !== false) continue;
        out.push({
          resource,
          path: ["spec", "defaults", key],
          message: `${describeObject(resource)} sets spec.defaults.${key}="${String(defaults[key])}": pods on the nodes matching spec.nodeSelector run without ${key === "enable-ztunnel" ? "ztunnel" : key === "enable-ipsec" ? "IPsec" : "WireGuard"} encryption`,
        });
      }
    }
    return out;
  },
});
