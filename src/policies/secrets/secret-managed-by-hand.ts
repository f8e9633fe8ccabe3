/**
 * secrets.secret-managed-by-hand: in a running cluster, a credential Secret that no external manager
 * owns was created by hand (kubectl, a script, a chart's values), so it is not rotated, audited or
 * backed by a secret store. Reads Secret metadata of a cluster snapshot.
 */
import type { Resource } from "../../ingest/types.ts";
import { asList, asObject } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import {
  CIS_BENCHMARK,
  EXTERNAL_SECRETS,
  isCoreSecret,
  NSA_GUIDE,
  SEALED_SECRETS,
  secretType,
} from "./util.ts";

/** Secret types that hold user credentials; controller-made types (tokens, TLS, Helm releases) are out of scope. */
export const HAND_MANAGED_TYPES: ReadonlySet<string> = new Set([
  "Opaque",
  "kubernetes.io/dockerconfigjson",
  "kubernetes.io/dockercfg",
  "kubernetes.io/basic-auth",
  "kubernetes.io/ssh-auth",
]);

/** Labels that the External Secrets Operator and the Secrets Store CSI driver put on the Secrets they write. */
const MANAGER_LABELS = ["reconcile.external-secrets.io/managed", "secrets-store.csi.k8s.io/managed"];

function isManaged(r: Resource): boolean {
  const meta = asObject(r.object.metadata);
  if (asList(meta?.ownerReferences).some((o) => asObject(o) !== undefined)) return true;
  const labels = asObject(meta?.labels);
  return MANAGER_LABELS.some((l) => labels?.[l] === "true");
}

export const secretManagedByHand = defineCheck({
  id: "secrets.secret-managed-by-hand",
  scope: "cluster",
  title: "Secret managed by hand",
  severity: "medium",
  description:
    'Cluster snapshots only. Reads `type`, `metadata.ownerReferences` and `metadata.labels` of every Secret. In scope are the types that hold user credentials: `Opaque` (also when `type` is unset), `kubernetes.io/dockerconfigjson` and `kubernetes.io/dockercfg` (registry credentials, usually made with kubectl create secret docker-registry), `kubernetes.io/basic-auth` and `kubernetes.io/ssh-auth`. Out of scope: `kubernetes.io/service-account-token`, `bootstrap.kubernetes.io/token`, `kubernetes.io/tls` (issued by cert-manager and similar), `helm.sh/release.v1` and every other controller-specific type. A Secret passes when it has an owner reference (an ExternalSecret or SealedSecret, or any other controller that generates it, such as an operator) or carries the label `reconcile.external-secrets.io/managed: "true"` (External Secrets Operator, any creation policy) or `secrets-store.csi.k8s.io/managed: "true"` (Secrets Store CSI driver sync).',
  remediation:
    "Store the value in an external secret manager and deliver it with an ExternalSecret (External Secrets Operator) or a SealedSecret, then delete the hand-made Secret.",
  references: [EXTERNAL_SECRETS, SEALED_SECRETS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.2", "microservices-hardening": "2-external-secrets" },
  applies: (ctx) => ctx.inventory.snapshot !== undefined,
  evaluate(ctx) {
    if (!ctx.inventory.snapshot) return [];
    const out: RawFinding[] = [];
    for (const r of ctx.inventory.byKind("Secret")) {
      if (!isCoreSecret(r)) continue;
      const type = secretType(r.object);
      if (!HAND_MANAGED_TYPES.has(type) || isManaged(r)) continue;
      out.push({
        resource: r,
        path: ["metadata", "ownerReferences"],
        message: `Secret "${r.name}" (type ${type}) is not owned by an ExternalSecret or SealedSecret: it is managed by hand`,
      });
    }
    return out;
  },
});
