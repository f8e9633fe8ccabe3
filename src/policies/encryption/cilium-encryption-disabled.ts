/**
 * Pod-to-pod encryption with Cilium: transparent encryption is on when the agent configuration enables
 * WireGuard, IPsec or ztunnel. Otherwise pod traffic crosses the network between nodes in plaintext.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  CILIUM_ENCRYPTION_KEYS,
  ciliumConfigs,
  ciliumEncryption,
  configData,
  describeObject,
  POD_TRAFFIC_FRAMEWORKS,
  REF,
} from "./util.ts";

export const ciliumEncryptionDisabled = defineCheck({
  id: "encryption.cilium-encryption-disabled",
  scope: "cluster",
  title: "Cilium transparent encryption is off",
  severity: "high",
  description:
    'Reads data of every ConfigMap named `cilium-config` (any namespace; kube-system for the Helm chart). One of `enable-wireguard`, `enable-ipsec` or `enable-ztunnel` must be "true" (Helm: encryption.enabled=true with encryption.type wireguard, ipsec or ztunnel). Values are read as Cilium reads them (Go ParseBool: "true", "True", "TRUE", "t", "1"); a missing key is false.',
  remediation:
    "Enable transparent encryption: `helm upgrade cilium cilium/cilium --reuse-values --set encryption.enabled=true --set encryption.type=wireguard` (or ipsec with a cilium-ipsec-keys Secret), then restart the Cilium agents.",
  references: [REF.ciliumEncryption, REF.ciliumWireguard, REF.ciliumIpsec, REF.nsa],
  frameworks: POD_TRAFFIC_FRAMEWORKS,
  applies: (ctx) => ciliumConfigs(ctx).length > 0,
  evaluate(ctx) {
    return ciliumConfigs(ctx).flatMap((cm) => {
      const data = configData(cm);
      const enc = ciliumEncryption(data);
      if (enc.wireguard || enc.ipsec || enc.ztunnel) return [];
      const present = CILIUM_ENCRYPTION_KEYS.filter((k) => typeof data[k] === "string");
      const set = present.map((k) => `data.${k}="${String(data[k])}"`);
      const path: Path = ["data", present[0] ?? "enable-wireguard"];
      return [
        {
          resource: cm,
          path: cm.object.data === undefined ? [] : path,
          message: `${describeObject(cm)} sets none of data.enable-wireguard, data.enable-ipsec or data.enable-ztunnel to "true"${set.length ? ` (${set.join(", ")})` : ""}: pod-to-pod traffic between nodes is not encrypted`,
        },
      ];
    });
  },
});
