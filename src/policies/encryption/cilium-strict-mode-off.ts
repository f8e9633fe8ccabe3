/**
 * Pod-to-pod encryption with Cilium is opportunistic until strict mode is on: while a peer's key is
 * missing or a node is not yet part of the mesh, pod traffic is sent in plaintext rather than dropped.
 */
import { defineCheck } from "../types.ts";
import {
  ciliumConfigs,
  ciliumEncryption,
  configData,
  describeObject,
  POD_TRAFFIC_FRAMEWORKS,
  parseBool,
  REF,
} from "./util.ts";

/** The options that turn strict (egress) mode on, newest first. */
const STRICT_KEYS = [
  "enable-encryption-strict-mode-egress",
  "enable-encryption-strict-mode",
  "enable-wireguard-strict-mode",
] as const;

export const ciliumStrictModeOff = defineCheck({
  id: "encryption.cilium-strict-mode-off",
  scope: "cluster",
  title: "Cilium encryption strict mode is off",
  severity: "low",
  description:
    'Reads data of every ConfigMap named `cilium-config`. When WireGuard or IPsec is enabled (`enable-wireguard` or `enable-ipsec` "true"), one of `enable-encryption-strict-mode-egress` (Cilium 1.18+; Helm encryption.strictMode.egress.enabled), `enable-encryption-strict-mode` (Cilium 1.14–1.19; Helm encryption.strictMode.enabled) or `enable-wireguard-strict-mode` should be "true": without strict mode, pod traffic to a peer whose key is not yet known leaves the node unencrypted instead of being dropped.',
  remediation:
    "Enable strict mode with the pod CIDR of the cluster: Helm `encryption.strictMode.egress.enabled=true` and `encryption.strictMode.egress.cidr=<pod CIDR>` (before Cilium 1.18: `encryption.strictMode.enabled=true` and `encryption.strictMode.cidr`), then restart the Cilium agents.",
  references: [REF.ciliumWireguard, REF.ciliumEncryption],
  frameworks: POD_TRAFFIC_FRAMEWORKS,
  applies: (ctx) =>
    ciliumConfigs(ctx).some((cm) => {
      const enc = ciliumEncryption(configData(cm));
      return enc.wireguard || enc.ipsec;
    }),
  evaluate(ctx) {
    return ciliumConfigs(ctx).flatMap((cm) => {
      const data = configData(cm);
      const enc = ciliumEncryption(data);
      if (!enc.wireguard && !enc.ipsec) return [];
      if (STRICT_KEYS.some((k) => parseBool(data[k]) === true)) return [];
      const present = STRICT_KEYS.find((k) => typeof data[k] === "string");
      return [
        {
          resource: cm,
          path: ["data", present ?? "enable-encryption-strict-mode-egress"],
          message: `${describeObject(cm)} enables ${enc.wireguard ? "WireGuard" : "IPsec"} without strict mode (none of data.${STRICT_KEYS.join(", data.")} is "true"): pod traffic can leave a node unencrypted while a peer's key is not known`,
        },
      ];
    });
  },
});
