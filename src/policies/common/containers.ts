/**
 * Containers of a resource's pod template, in the Pod Security Admission visiting order
 * (init containers, then containers, then ephemeral containers), with their paths relative to
 * the resource object so findings point at the exact field.
 */
import { POD_TEMPLATE_PATHS } from "../../ingest/podspec.ts";
import type { KObject, Path, Resource } from "../../ingest/types.ts";
import { asList, asObject, asString } from "./objects.ts";

/** Kinds whose objects carry a pod template (ingest sets `resource.pod` for them). */
export const POD_TEMPLATE_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

export const CONTAINER_FIELDS = ["initContainers", "containers", "ephemeralContainers"] as const;
export type ContainerField = (typeof CONTAINER_FIELDS)[number];

/** One container of a pod template. */
export interface PodContainer {
  field: ContainerField;
  index: number;
  /** `""` when missing or not a string. */
  name: string;
  /** The container object. Entries that are not objects are skipped. */
  container: KObject;
  /** Path of the container relative to the resource object, e.g. `["spec","template","spec","containers",0]`. */
  path: Path;
}

/** Path of the pod spec relative to the resource object (`["spec"]` for a Pod). */
export function podSpecPath(resource: Resource): Path {
  return [...(resource.pod?.path ?? []), "spec"];
}

const FIELD_BITS: Readonly<Record<ContainerField, number>> = {
  initContainers: 1,
  containers: 2,
  ephemeralContainers: 4,
};

/**
 * The lists built for the resource asked about last, by the bit mask of the fields: the resource
 * checks run one resource at a time, a dozen of them read its containers, and one slot is all it
 * takes to build each list once without holding the lists of every resource.
 */
// A weak reference: a finished scan's last resource must not keep its input alive in a server.
let lastResource: WeakRef<Resource> | undefined;
let lastLists: (readonly PodContainer[] | undefined)[] = [];

/**
 * Every container of the resource's pod template; empty when the resource has none. The list may be
 * shared with other callers: read it, do not change it.
 *
 * @example podContainers(deployment, ["containers"]) // only regular containers
 */
export function podContainers(
  resource: Resource,
  fields: readonly ContainerField[] = CONTAINER_FIELDS,
): readonly PodContainer[] {
  const spec = resource.pod?.spec;
  if (!spec) return [];
  let mask = 0;
  for (const f of fields) mask |= FIELD_BITS[f];
  if (lastResource?.deref() !== resource) {
    lastResource = new WeakRef(resource);
    lastLists = [];
  }
  let list = lastLists[mask];
  if (!list) {
    list = collect(resource, spec, fields);
    lastLists[mask] = list;
  }
  return list;
}

function collect(resource: Resource, spec: KObject, fields: readonly ContainerField[]): PodContainer[] {
  const base = podSpecPath(resource);
  const out: PodContainer[] = [];
  for (const field of CONTAINER_FIELDS) {
    if (!fields.includes(field)) continue;
    const list = asList(spec[field]);
    for (let index = 0; index < list.length; index++) {
      const container = asObject(list[index]);
      if (!container) continue;
      out.push({
        field,
        index,
        name: asString(container.name) ?? "",
        container,
        path: [...base, field, index],
      });
    }
  }
  return out;
}

/** How messages name a resource: `Deployment "web"`. */
export function describeResource(resource: Resource): string {
  return `${resource.kind} "${resource.name}"`;
}

/** How messages name a container: `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
export function describeContainer(c: PodContainer): string {
  const word =
    c.field === "initContainers"
      ? "init container"
      : c.field === "ephemeralContainers"
        ? "ephemeral container"
        : "container";
  return `${word} "${c.name}"`;
}
