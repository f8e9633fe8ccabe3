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
const NONE: readonly PodContainer[] = Object.freeze([]);

/**
 * The lists built so far, per resource and by the bit mask of the fields asked for: a dozen checks
 * read the containers of every workload, and building the list once saves its objects and paths.
 */
const built = new WeakMap<Resource, (readonly PodContainer[] | undefined)[]>();

/**
 * Every container of the resource's pod template; empty when the resource has none. The list is shared
 * by every caller: read it, do not change it.
 *
 * @example podContainers(deployment, ["containers"]) // only regular containers
 */
export function podContainers(
  resource: Resource,
  fields: readonly ContainerField[] = CONTAINER_FIELDS,
): readonly PodContainer[] {
  const spec = resource.pod?.spec;
  if (!spec) return NONE;
  let mask = 0;
  for (const f of fields) mask |= FIELD_BITS[f];
  let lists = built.get(resource);
  if (!lists) {
    lists = [];
    built.set(resource, lists);
  }
  let list = lists[mask];
  if (!list) {
    list = collect(resource, spec, fields);
    lists[mask] = list;
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
