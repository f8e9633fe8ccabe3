/**
 * The inventory cluster checks see: every resource, indexed by kind once, so cluster-wide
 * checks stay close to linear in the number of resources.
 */
import type { Resource, SnapshotMeta } from "../ingest/types.ts";
import type { Inventory } from "../policies/types.ts";

const EMPTY: readonly Resource[] = Object.freeze([]);

/** Index resources by kind. A controller-owned Pod in a snapshot is kept (RBAC and network checks need it). */
export function buildInventory(resources: readonly Resource[], snapshot?: SnapshotMeta): Inventory {
  const byKind = new Map<string, Resource[]>();
  for (const r of resources) {
    let list = byKind.get(r.kind);
    if (!list) {
      list = [];
      byKind.set(r.kind, list);
    }
    list.push(r);
  }
  return {
    resources,
    byKind: (kind) => byKind.get(kind) ?? EMPTY,
    ...(snapshot ? { snapshot } : {}),
  };
}
