/**
 * Test support for check authors: build resources and a check context from YAML text.
 * Uses the real ingest and inventory, so tests see exactly what a scan sees.
 */
import { ingest, POD_TEMPLATE_PATHS } from "../ingest/index.ts";
import type { KObject, Resource } from "../ingest/types.ts";
import { buildInventory } from "../scan/inventory.ts";
import type { CheckContext, ClusterCheck, PssLevel, RawFinding, ResourceCheck } from "./types.ts";

function rawPod(r: Resource): Resource["pod"] {
  const path = POD_TEMPLATE_PATHS[r.kind];
  if (!path) return undefined;
  let node: unknown = r.object;
  for (const seg of path) node = node && typeof node === "object" ? (node as KObject)[seg] : undefined;
  const tpl = node as KObject | undefined;
  if (!tpl || typeof tpl !== "object" || !tpl.spec || typeof tpl.spec !== "object") return undefined;
  const metadata = tpl.metadata && typeof tpl.metadata === "object" ? (tpl.metadata as KObject) : {};
  return { path, metadata, spec: tpl.spec as KObject };
}

/**
 * Parse YAML (multi-document) into resources; throws on a document-level ingest error.
 * Field type errors (`containers: 5`) are tolerated on purpose: such a resource keeps its raw pod
 * template, so a check's own defensiveness against odd input can be tested directly.
 */
export function resourcesFromYaml(text: string, file = "test.yaml"): Resource[] {
  const result = ingest([{ file, text }]);
  const fatal = result.errors.filter((e) => e.path === undefined);
  if (fatal.length > 0) throw new Error(`ingest errors in test input: ${JSON.stringify(fatal)}`);
  if (result.errors.length === 0) return result.resources;
  return result.resources.map((r) => {
    if (r.pod) return r;
    const pod = rawPod(r);
    return pod ? { ...r, pod } : r;
  });
}

/** A check context over the given resources. */
export function contextFor(
  resources: Resource[],
  opts: { pssLevel?: PssLevel; pssVersion?: string; now?: Date; snapshot?: boolean } = {},
): CheckContext {
  return {
    pssLevel: opts.pssLevel ?? "restricted",
    pssVersion: opts.pssVersion ?? "latest",
    now: opts.now ?? new Date("2026-12-01T00:00:00Z"),
    inventory: buildInventory(resources, opts.snapshot ? { cluster: "test" } : undefined),
  };
}

/** Run one check (resource or cluster) over YAML text and return its raw findings. */
export function runCheck(
  check: ResourceCheck | ClusterCheck,
  yamlText: string,
  opts: Parameters<typeof contextFor>[1] = {},
): RawFinding[] {
  const resources = resourcesFromYaml(yamlText);
  const ctx = contextFor(resources, opts);
  if (check.scope === "cluster") return check.evaluate(ctx);
  const kinds = check.kinds;
  return resources.filter((r) => !kinds || kinds.includes(r.kind)).flatMap((r) => check.evaluate(r, ctx));
}
