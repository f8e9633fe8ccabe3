/**
 * Test support for check authors: build resources and a check context from YAML text.
 * TEMPORARY: a simple exact reader on the `yaml` package until src/ingest/index.ts lands;
 * then this delegates to the real ingest so tests see exactly what a scan sees.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import type { KObject, Path, PodTemplate, Resource } from "../ingest/types.ts";
import { buildInventory } from "../scan/inventory.ts";
import type { CheckContext, PssLevel, RawFinding, ResourceCheck, ClusterCheck } from "./types.ts";

const TEMPLATE_PATHS: Record<string, Path> = {
  Pod: [],
  PodTemplate: ["template"],
  ReplicationController: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

function get(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Parse YAML (multi-document) into resources; throws on a document that does not parse. */
export function resourcesFromYaml(text: string, file = "test.yaml"): Resource[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const out: Resource[] = [];
  (Array.isArray(docs) ? docs : [docs]).forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`YAML error in test input: ${doc.errors[0]?.message}`);
    const object = doc.toJS() as KObject | null;
    if (!object || typeof object !== "object") return;
    const root = doc.contents as Node | null;
    const locate = (path: Path) => {
      let node: unknown = root;
      let pos = root?.range ? lc.linePos(root.range[0]) : { line: 1, col: 1 };
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
          if (!pair) break;
          const key = pair.key as Node;
          if (key.range) pos = lc.linePos(key.range[0]);
          node = pair.value;
        } else if (isSeq(node) && typeof seg === "number") {
          const item = node.items[seg] as Node | undefined;
          if (!item) break;
          if (item.range) pos = lc.linePos(item.range[0]);
          node = item;
        } else break;
      }
      return { line: pos.line, column: pos.col };
    };
    const kind = String(object.kind ?? "");
    const meta = (object.metadata ?? {}) as KObject;
    const tplPath = TEMPLATE_PATHS[kind];
    let pod: PodTemplate | undefined;
    if (tplPath) {
      const tpl = (tplPath.length ? get(object, tplPath) : object) as KObject | undefined;
      const spec = tpl?.spec as KObject | undefined;
      if (spec && typeof spec === "object") pod = { path: tplPath, metadata: (tpl?.metadata ?? {}) as KObject, spec };
    }
    const start = locate([]);
    out.push({
      apiVersion: String(object.apiVersion ?? ""),
      kind,
      name: String(meta.name ?? ""),
      ...(typeof meta.namespace === "string" ? { namespace: meta.namespace } : {}),
      object,
      source: { file, document: index, ...start },
      docPath: [],
      ...(pod ? { pod } : {}),
      locate,
    });
  });
  return out;
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
