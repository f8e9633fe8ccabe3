/**
 * Inventory indexes for checks that look objects up by namespace and name. Each index is built once
 * per inventory (cached in a WeakMap keyed by the inventory), so a scan of n resources stays close to
 * linear however many resources do a lookup.
 */
import type { Inventory } from "../types.ts";

/**
 * Wrap `build` so it runs once per inventory; later calls with the same inventory return the cached value.
 *
 * @example const saIndex = perInventory((inv) => indexByName(inv.byKind("ServiceAccount")));
 */
export function perInventory<T>(build: (inventory: Inventory) => T): (inventory: Inventory) => T {
  const cache = new WeakMap<Inventory, T>();
  return (inventory) => {
    if (cache.has(inventory)) return cache.get(inventory) as T;
    const value = build(inventory);
    cache.set(inventory, value);
    return value;
  };
}

/**
 * Values keyed by namespace and name. An object without `metadata.namespace` in an upload goes to
 * whatever namespace it is applied to, so a lookup in namespace N finds entries of N first and then
 * entries without a namespace; a lookup without a namespace finds only entries without one.
 */
export class NamespacedIndex<T> {
  readonly #byNamespace = new Map<string, Map<string, T>>();

  /** Add a value; the first value added for a namespace and name wins. */
  add(namespace: string | undefined, name: string, value: T): void {
    const ns = namespace ?? "";
    let names = this.#byNamespace.get(ns);
    if (!names) {
      names = new Map();
      this.#byNamespace.set(ns, names);
    }
    if (!names.has(name)) names.set(name, value);
  }

  /** The value for a namespace and name, falling back to an entry without a namespace. */
  get(namespace: string | undefined, name: string): T | undefined {
    const ns = namespace ?? "";
    const exact = this.#byNamespace.get(ns)?.get(name);
    if (exact !== undefined || ns === "") return exact;
    return this.#byNamespace.get("")?.get(name);
  }

  has(namespace: string | undefined, name: string): boolean {
    return this.get(namespace, name) !== undefined;
  }
}
