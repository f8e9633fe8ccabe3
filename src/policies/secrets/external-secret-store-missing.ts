/**
 * secrets.external-secret-store-missing: an ExternalSecret whose SecretStore or ClusterSecretStore is
 * not in the input cannot be checked, and often never syncs. Reads `spec.secretStoreRef` and the
 * per-entry `sourceRef.storeRef` of ExternalSecrets and ClusterExternalSecrets (external-secrets.io).
 */
import type { KObject, Path } from "../../ingest/types.ts";
import { NamespacedIndex, perInventory } from "../common/inventory.ts";
import { asList, asNonEmptyString, asObject } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import { EXTERNAL_SECRETS, inGroup, NSA_GUIDE } from "./util.ts";

const GROUP = "external-secrets.io";

const stores = perInventory((inventory) => {
  const namespaced = new NamespacedIndex<true>();
  const cluster = new Set<string>();
  for (const r of inventory.byKind("SecretStore"))
    if (inGroup(r, GROUP)) namespaced.add(r.namespace, r.name, true);
  for (const r of inventory.byKind("ClusterSecretStore")) if (inGroup(r, GROUP)) cluster.add(r.name);
  return { namespaced, cluster };
});

interface StoreRef {
  kind: "SecretStore" | "ClusterSecretStore";
  name: string;
  path: Path;
}

/** Store references of an ExternalSecret spec: the default store, then each data / dataFrom entry's own. */
function storeRefs(spec: KObject | undefined, base: Path): StoreRef[] {
  const out: StoreRef[] = [];
  const add = (ref: unknown, path: Path) => {
    const obj = asObject(ref);
    const name = asNonEmptyString(obj?.name);
    if (!name) return;
    out.push({
      kind: obj?.kind === "ClusterSecretStore" ? "ClusterSecretStore" : "SecretStore",
      name,
      path: [...path, "name"],
    });
  };
  add(spec?.secretStoreRef, [...base, "secretStoreRef"]);
  for (const field of ["data", "dataFrom"] as const) {
    asList(spec?.[field]).forEach((entry, i) => {
      add(asObject(asObject(entry)?.sourceRef)?.storeRef, [...base, field, i, "sourceRef", "storeRef"]);
    });
  }
  return out;
}

export const externalSecretStoreMissing = defineCheck({
  id: "secrets.external-secret-store-missing",
  scope: "resource",
  kinds: ["ExternalSecret", "ClusterExternalSecret"],
  title: "ExternalSecret store not in the input",
  severity: "medium",
  description:
    "Reads `spec.secretStoreRef` (`kind` SecretStore by default, or ClusterSecretStore; `name`) and `spec.data[].sourceRef.storeRef` / `spec.dataFrom[].sourceRef.storeRef` of every ExternalSecret (external-secrets.io, any version), and the same fields under `spec.externalSecretSpec` of a ClusterExternalSecret. A SecretStore must be in the input in the ExternalSecret's namespace (for a ClusterExternalSecret, in each namespace of `spec.namespaces`; namespaces chosen by label cannot be checked); a ClusterSecretStore must be in the input by name. Generator references are not stores and are skipped.",
  remediation:
    "Add the SecretStore (same namespace) or ClusterSecretStore to the scanned manifests, or fix the name and kind in secretStoreRef.",
  references: [
    { title: "External Secrets: SecretStore", url: "https://external-secrets.io/latest/api/secretstore/" },
    {
      title: "External Secrets: ClusterSecretStore",
      url: "https://external-secrets.io/latest/api/clustersecretstore/",
    },
    EXTERNAL_SECRETS,
    NSA_GUIDE,
  ],
  frameworks: { "nsa-cisa": "secrets", cis: "5.4.2", "microservices-hardening": "2-external-secrets" },
  evaluate(resource, ctx) {
    if (!inGroup(resource, GROUP)) return [];
    const { namespaced, cluster } = stores(ctx.inventory);
    const spec = asObject(resource.object.spec);
    const isCluster = resource.kind === "ClusterExternalSecret";
    const refs = isCluster
      ? storeRefs(asObject(spec?.externalSecretSpec), ["spec", "externalSecretSpec"])
      : storeRefs(spec, ["spec"]);
    const namespaces: (string | undefined)[] = isCluster
      ? asList(spec?.namespaces).filter((n): n is string => typeof n === "string" && n !== "")
      : [resource.namespace];
    const seen = new Set<string>();
    const out: RawFinding[] = [];
    for (const ref of refs) {
      const key = `${ref.kind}/${ref.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const who = `${resource.kind} "${resource.name}" references ${ref.kind} "${ref.name}"`;
      if (ref.kind === "ClusterSecretStore") {
        if (!cluster.has(ref.name))
          out.push({ resource, path: ref.path, message: `${who}, which is not in the input` });
        continue;
      }
      const missing = namespaces.filter((ns) => !namespaced.has(ns, ref.name));
      if (missing.length === 0) continue;
      const where = missing
        .map((ns) => (ns === undefined ? "its namespace" : `namespace "${ns}"`))
        .join(", ");
      out.push({ resource, path: ref.path, message: `${who}, which is not in the input in ${where}` });
    }
    return out;
  },
});
