/**
 * Helpers shared by the workload checks: references, the pod spec view, service-account and
 * LimitRange lookups (indexed once per inventory).
 */
import type { KObject, Resource } from "../../ingest/types.ts";
import { NamespacedIndex, perInventory } from "../common/inventory.ts";
import { asList, asNonEmptyString, asObject } from "../common/objects.ts";
import type { Reference } from "../types.ts";

export const NSA_GUIDE: Reference = {
  title: "NSA/CISA Kubernetes Hardening Guidance",
  url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
};

export const CIS_BENCHMARK: Reference = {
  title: "CIS Kubernetes Benchmark",
  url: "https://www.cisecurity.org/benchmark/kubernetes",
};

export const SECURITY_CONTEXT_DOCS: Reference = {
  title: "Configure a Security Context for a Pod or Container",
  url: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
};

/** `spec.os.name` is exactly `windows`. */
export function isWindowsPod(spec: KObject): boolean {
  return asObject(spec.os)?.name === "windows";
}

/** The service account a pod spec runs as, and the field that names it (`serviceAccount` is deprecated). */
export function serviceAccountOf(spec: KObject): { name: string; field: string; explicit: boolean } {
  const name = asNonEmptyString(spec.serviceAccountName);
  if (name) return { name, field: "serviceAccountName", explicit: true };
  const legacy = asNonEmptyString(spec.serviceAccount);
  if (legacy) return { name: legacy, field: "serviceAccount", explicit: true };
  return { name: "default", field: "serviceAccountName", explicit: false };
}

/** ServiceAccounts of the inventory by namespace and name. */
export const serviceAccountIndex = perInventory((inventory) => {
  const index = new NamespacedIndex<Resource>();
  for (const r of inventory.byKind("ServiceAccount")) index.add(r.namespace, r.name, r);
  return index;
});

/** `false`, `true` or `undefined` (unset or wrong type) for `automountServiceAccountToken` of an object. */
export function automountOf(obj: KObject | undefined): boolean | undefined {
  const v = obj?.automountServiceAccountToken;
  return typeof v === "boolean" ? v : undefined;
}

export type ResourceName = "cpu" | "memory";
export const RESOURCE_NAMES: readonly ResourceName[] = ["cpu", "memory"];

/** What the LimitRanges of one namespace fill in for containers that set nothing. */
export interface ContainerDefaults {
  /** `spec.limits[type=Container].default`: the limit (and, through it, the request). */
  limit: Set<ResourceName>;
  /** `spec.limits[type=Container].defaultRequest`. */
  request: Set<ResourceName>;
}

/** A resource quantity counts as set when it is a non-empty string or a number. */
export function hasQuantity(obj: unknown, name: ResourceName): boolean {
  const v = asObject(obj)?.[name];
  return (typeof v === "string" && v.trim() !== "") || typeof v === "number";
}

/**
 * Container defaults from the LimitRanges of the inventory, merged per namespace. A LimitRange without
 * a namespace is kept under `""`, which a lookup in any namespace also sees (see NamespacedIndex).
 */
export const limitRangeDefaults = perInventory((inventory) => {
  const byNamespace = new Map<string, ContainerDefaults>();
  for (const r of inventory.byKind("LimitRange")) {
    const ns = r.namespace ?? "";
    let d = byNamespace.get(ns);
    if (!d) {
      d = { limit: new Set(), request: new Set() };
      byNamespace.set(ns, d);
    }
    for (const item of asList(asObject(r.object.spec)?.limits)) {
      const limit = asObject(item);
      if (limit?.type !== "Container") continue;
      for (const name of RESOURCE_NAMES) {
        if (hasQuantity(limit.default, name)) d.limit.add(name);
        if (hasQuantity(limit.defaultRequest, name)) d.request.add(name);
      }
    }
  }
  return (namespace: string | undefined, kind: keyof ContainerDefaults, name: ResourceName): boolean =>
    byNamespace.get(namespace ?? "")?.[kind].has(name) === true ||
    (namespace !== undefined && byNamespace.get("")?.[kind].has(name) === true);
});
