/**
 * The workloads of an inventory that run pods, once each. In a cluster snapshot a Deployment, its
 * ReplicaSet and their Pods all appear; reporting each would triple every finding, so a resource
 * whose controller (`metadata.ownerReferences[]` with `controller: true`) is itself a workload in
 * the inventory is left out. A resource whose controller is not in the input (an operator's custom
 * resource, a partial export) is kept. Built once per inventory.
 */
import type { Resource } from "../../ingest/types.ts";
import type { Inventory } from "../types.ts";
import { perInventory } from "./inventory.ts";
import { asList, asObject, asString } from "./objects.ts";

/** Kinds that make the cluster run pods. PodTemplate carries a template but runs nothing. */
export const WORKLOAD_KINDS = [
  "Pod",
  "ReplicationController",
  "ReplicaSet",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
] as const;

/** The namespace a namespaced object lands in: its own, or `default` when it sets none. */
export function namespaceOf(resource: Resource): string {
  return resource.namespace ?? "default";
}

const KINDS: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

function key(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

/**
 * Every workload with a well-formed pod template, in input order, without those controlled by
 * another workload of the inventory.
 *
 * @example for (const w of runningWorkloads(ctx.inventory)) console.log(namespaceOf(w), w.name);
 */
export const runningWorkloads: (inventory: Inventory) => readonly Resource[] = perInventory((inventory) => {
  const all: Resource[] = [];
  const present = new Set<string>();
  for (const r of inventory.resources) {
    if (!r.pod || !KINDS.has(r.kind)) continue;
    all.push(r);
    present.add(key(r.kind, namespaceOf(r), r.name));
  }
  return all.filter((r) => {
    for (const ref of asList(asObject(r.object.metadata)?.ownerReferences)) {
      const owner = asObject(ref);
      if (owner?.controller !== true) continue;
      const kind = asString(owner.kind);
      const name = asString(owner.name);
      if (kind && name && present.has(key(kind, namespaceOf(r), name))) return false;
    }
    return true;
  });
});
