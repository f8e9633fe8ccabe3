/**
 * Pod-to-pod encryption with Cilium WireGuard covers pod traffic; traffic from and to the nodes
 * themselves (host-network pods, kubelet, NodePort paths) is encrypted only with `encrypt-node`.
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

export const ciliumNodeEncryptionOff = defineCheck({
  id: "encryption.cilium-node-encryption-off",
  scope: "cluster",
  title: "Cilium WireGuard does not encrypt node-to-node traffic",
  severity: "low",
  description:
    'Reads data of every ConfigMap named `cilium-config`. When `enable-wireguard` is "true", `encrypt-node` should be "true" too (Helm: encryption.nodeEncryption=true), so that traffic of host-network pods and node components between nodes is encrypted as well. Not judged for IPsec, which does not support node-to-node encryption, or when encryption is off (reported by encryption.cilium-encryption-disabled).',
  remediation:
    'Set `encryption.nodeEncryption=true` in the Cilium Helm values (cilium-config `encrypt-node: "true"`) and restart the Cilium agents.',
  references: [REF.ciliumWireguard, REF.ciliumEncryption],
  frameworks: POD_TRAFFIC_FRAMEWORKS,
  applies: (ctx) => ciliumConfigs(ctx).some((cm) => ciliumEncryption(configData(cm)).wireguard),
  evaluate(ctx) {
    return ciliumConfigs(ctx).flatMap((cm) => {
      const data = configData(cm);
      if (!ciliumEncryption(data).wireguard || parseBool(data["encrypt-node"]) === true) return [];
      const value =
        typeof data["encrypt-node"] === "string"
          ? `data.encrypt-node="${data["encrypt-node"]}"`
          : "no data.encrypt-node";
      return [
        {
          resource: cm,
          path: ["data", "encrypt-node"],
          message: `${describeObject(cm)} enables WireGuard but has ${value}: traffic between nodes outside pods (host network) is not encrypted`,
        },
      ];
    });
  },
});
