/**
 * Resource checks over pod templates see, in a cluster snapshot, a Deployment, its ReplicaSet and
 * their Pods; without care each finding appears three times. A resource whose controller
 * (`metadata.ownerReferences[]` with `controller: true`) is a workload in the inventory is reported
 * through that controller instead. Same rule as `runningWorkloads`, by identity key, so it does not
 * depend on the engine passing the inventory's own objects.
 */
import type { Resource } from "../../ingest/types.ts";
import type { Inventory } from "../types.ts";
import { perInventory } from "./inventory.ts";
import { asList, asObject, asString } from "./objects.ts";
import { namespaceOf, WORKLOAD_KINDS } from "./workloads.ts";

const KINDS: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

const key = (kind: string, namespace: string, name: string) => `${kind}\u0000${namespace}\u0000${name}`;

const workloadKeys = perInventory((inventory) => {
  const keys = new Set<string>();
  for (const r of inventory.resources)
    if (r.pod && KINDS.has(r.kind)) keys.add(key(r.kind, namespaceOf(r), r.name));
  return keys;
});

/**
 * Whether the resource's controller is a pod-running workload of the inventory, so checks report
 * the controller and skip this resource.
 *
 * @example if (controlledByWorkload(resource, ctx.inventory)) return [];
 */
export function controlledByWorkload(resource: Resource, inventory: Inventory): boolean {
  const refs = asList(asObject(resource.object.metadata)?.ownerReferences);
  if (refs.length === 0) return false;
  const keys = workloadKeys(inventory);
  for (const ref of refs) {
    const owner = asObject(ref);
    if (owner?.controller !== true) continue;
    const kind = asString(owner.kind);
    const name = asString(owner.name);
    if (kind && name && keys.has(key(kind, namespaceOf(resource), name))) return true;
  }
  return false;
}
