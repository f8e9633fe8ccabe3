/**
 * The `encryption` module: etcd encryption at rest (EncryptionConfiguration and the kube-apiserver flag)
 * and pod-to-pod encryption in transit (Cilium transparent encryption, other CNIs, Istio mTLS), registered
 * explicitly in order.
 */
import type { Check } from "../types.ts";
import { apiserverNoEncryptionConfig } from "./apiserver-no-encryption-config.ts";
import { ciliumConfigUnverified } from "./cilium-config-unverified.ts";
import { ciliumEncryptionDisabled } from "./cilium-encryption-disabled.ts";
import { ciliumNodeConfigDisablesEncryption } from "./cilium-node-config-disables-encryption.ts";
import { ciliumNodeEncryptionOff } from "./cilium-node-encryption-off.ts";
import { ciliumStrictModeOff } from "./cilium-strict-mode-off.ts";
import { etcdConfigUnverified } from "./etcd-config-unverified.ts";
import { etcdIdentityFirst } from "./etcd-identity-first.ts";
import { etcdKmsV1 } from "./etcd-kms-v1.ts";
import { etcdManagedControlPlane } from "./etcd-managed-control-plane.ts";
import { etcdPlaceholderKey } from "./etcd-placeholder-key.ts";
import { etcdSecretsNotCovered } from "./etcd-secrets-not-covered.ts";
import { etcdWeakProvider } from "./etcd-weak-provider.ts";
import { podTrafficUnencrypted } from "./pod-traffic-unencrypted.ts";

export const encryptionChecks: Check[] = [
  apiserverNoEncryptionConfig,
  etcdSecretsNotCovered,
  etcdIdentityFirst,
  etcdWeakProvider,
  etcdKmsV1,
  etcdPlaceholderKey,
  etcdConfigUnverified,
  etcdManagedControlPlane,
  ciliumEncryptionDisabled,
  ciliumNodeEncryptionOff,
  ciliumStrictModeOff,
  ciliumNodeConfigDisablesEncryption,
  ciliumConfigUnverified,
  podTrafficUnencrypted,
];
