/**
 * Ingest: manifests as users hand them over (multi-document YAML, JSON objects and arrays, `kind: List`
 * and `*List`, cluster snapshots) in, resources with exact source positions out, under documented bounds.
 * Pure and runtime-neutral: no I/O, no Node built-ins, so it runs unchanged in Workers, Node and the CLI.
 *
 * Design, for speed and memory: the YAML stream is split at `---`/`...` marker lines without parsing.
 * Each document is read by the fast path for plain block YAML (block-yaml.ts), which builds js-yaml's
 * value and records where every key and item is in a compact table; anything else is parsed by js-yaml
 * (the fastest general JavaScript YAML parser) with its bounds enforced on the parser's events. No syntax
 * tree is kept: a finding's field is located in the table, or, for documents js-yaml read, lazily in the
 * text (locate-text.ts), with the `yaml` package's tree as the last fallback.
 */
import { BlockYamlInput, UNKNOWN } from "./block-yaml.ts";
import { firstContent, looksLikeJson, tooDeep } from "./json.ts";
import { LineIndex } from "./lines.ts";
import { locateInTree, TreeCache } from "./locate-ast.ts";
import {
  documentRoot,
  type LocateMemo,
  locateInText,
  nodeAt,
  type SeqItem,
  sequenceItems,
  UNSURE,
} from "./locate-text.ts";
import { parseYamlChunk } from "./parse-yaml.ts";
import { formatPath } from "./path.ts";
import { extractPod, type FieldProblem } from "./podspec.ts";
import { isSnapshot, snapshotMeta } from "./snapshot.ts";
import { splitDocuments } from "./split.ts";
import {
  DEFAULT_LIMITS,
  type IngestError,
  type IngestLimits,
  type IngestResult,
  type InputFile,
  type KObject,
  type Path,
  type Position,
  type Resource,
  type SnapshotMeta,
} from "./types.ts";
import { describeValue, isMapping } from "./values.ts";

export { formatPath, parsePath } from "./path.ts";
export { extractPod, POD_TEMPLATE_PATHS } from "./podspec.ts";
export type * from "./types.ts";
export { CLI_LIMITS, DEFAULT_LIMITS } from "./types.ts";

/** One input being read: its text, line index and tree cache, shared by every resource it yields. */
interface InputCtx {
  file: string;
  text: string;
  lines: LineIndex;
  trees: TreeCache;
  json: boolean;
  errors: IngestError[];
  /**
   * What was walked for the node located last, so its next path walks only what differs. One slot per
   * input, not one per node: findings come grouped by resource, and nothing is kept for the others.
   */
  memoNode: NodeRef | undefined;
  memo: LocateMemo | undefined;
  /** The fast YAML path's state for this input, with the position table of the documents it read. */
  yaml: BlockYamlInput | undefined;
  errorCount: number;
  maxErrors: number;
  result: IngestResult;
  limits: IngestLimits;
}

/** One document of an input. */
interface DocCtx {
  input: InputCtx;
  index: number;
  /** The document's text is input.text[start, end). */
  start: number;
  end: number;
}

/**
 * The text a node can be resolved in by the `yaml` package when the fast indexer cannot: `text[start, end)`
 * parsed as one document, where the node sits at `prefix`.
 */
interface Region {
  start: number;
  end: number;
  prefix: Path;
}

/** Where an object sits: its document, its path there, its offset (or UNSURE), and its fallback region. */
interface NodeRef {
  doc: DocCtx;
  docPath: Path;
  /** Offset of the node's first character, or UNSURE when the indexer could not find it. */
  at: number;
  region: Region;
  /** For items of a typed list (PodList…), the apiVersion and kind they inherit when they carry none. */
  inherit?: { apiVersion: string; kind: string };
  /** The parsed object at this node, once it is a resource: lets a walk stop at a field it lacks. */
  value?: KObject;
  /** The node's collection in the input's position table; -1 or absent when its document has none. */
  collection?: number;
}

/** Offset of the deepest existing field on `path` (relative to the node), never failing. */
function offsetOf(node: NodeRef, path: Path): number {
  const { doc } = node;
  const { text, json } = doc.input;
  try {
    if (node.at >= 0) {
      if (path.length === 0) return node.at;
      const input = doc.input;
      // Positions recorded while parsing answer without reading the text again.
      const table = input.yaml?.table;
      if (table && node.collection !== undefined && node.collection >= 0 && node.value) {
        const o = table.locate(node.collection, node.at, path, node.value);
        if (o !== UNKNOWN) return o;
      }
      let memo = input.memo;
      if (input.memoNode !== node || memo === undefined) {
        memo = { path: [], keys: [], nodes: [], depth: 0, blocks: new Map() };
        input.memo = memo;
        input.memoNode = node;
      }
      const o = locateInText(text, node.at, doc.end, path, json, memo, node.value);
      if (o >= 0) return o;
    }
    const { region } = node;
    const tree = doc.input.trees.get(text, region.start, region.end);
    const o = locateInTree(tree, [...region.prefix, ...path]);
    if (o >= 0) return region.start + o;
  } catch {
    // Fall through to the node itself: a position is always better than none.
  }
  return node.at >= 0 ? node.at : node.region.start;
}

function positionOf(node: NodeRef, path: Path): Position {
  return node.doc.input.lines.position(offsetOf(node, path));
}

function pushError(input: InputCtx, error: IngestError): void {
  input.errorCount++;
  if (input.errorCount <= input.maxErrors) input.errors.push(error);
  else if (input.errorCount === input.maxErrors + 1) {
    input.errors.push({
      file: error.file,
      line: error.line,
      column: error.column,
      message: `more than ${input.maxErrors} problems in this input; the rest are not listed (limit maxErrors)`,
    });
  }
}

function errorAt(
  doc: DocCtx | undefined,
  input: InputCtx,
  offset: number,
  message: string,
  path?: Path,
): void {
  const pos = input.lines.position(offset);
  const e: IngestError = { file: input.file, line: pos.line, column: pos.column, message };
  if (doc) e.document = doc.index;
  if (path && path.length > 0) e.path = formatPath(path);
  pushError(input, e);
}

function nodeError(node: NodeRef, relPath: Path, message: string): void {
  const full = [...node.docPath, ...relPath];
  errorAt(node.doc, node.doc.input, offsetOf(node, relPath), message, full);
}

function problemsToErrors(node: NodeRef, problems: readonly FieldProblem[]): void {
  for (const p of problems) {
    const e: IngestError = {
      file: node.doc.input.file,
      ...positionOf(node, p.path),
      document: node.doc.index,
      message: p.message,
    };
    if (p.path.length > 0) e.path = formatPath(p.path);
    pushError(node.doc.input, e);
  }
}

/** Item nodes of the `items` of a List at `list`, found in one pass over the text when possible. */
function itemNodes(list: NodeRef, count: number): NodeRef[] {
  const { doc } = list;
  const { text, json } = doc.input;
  let items: SeqItem[] | typeof UNSURE = UNSURE;
  if (list.at >= 0) {
    try {
      const seq = nodeAt(text, list.at, doc.end, ["items"], json);
      if (seq >= 0) items = sequenceItems(text, seq, doc.end, json);
    } catch {
      items = UNSURE;
    }
  }
  if (items !== UNSURE && items.length !== count) items = UNSURE;
  const out: NodeRef[] = [];
  for (let i = 0; i < count; i++) {
    const docPath = [...list.docPath, "items", i];
    const item = items === UNSURE ? undefined : items[i];
    if (item?.region) {
      out.push({
        doc,
        docPath,
        at: item.at,
        region: { start: item.region[0], end: item.region[1], prefix: [0] },
      });
    } else {
      const region = { ...list.region, prefix: [...list.region.prefix, "items", i] };
      out.push({ doc, docPath, at: item ? item.at : UNSURE, region });
    }
  }
  return out;
}

/**
 * What keeps an object's metadata from making a resource: `metadata` not a mapping, or a name,
 * generateName or namespace that is not a string. Undefined when it is fine.
 * @example metadataProblem({ metadata: { name: 5 } }) // { path: ["metadata", "name"], message: "metadata.name: expected a string, got a number" }
 */
export function metadataProblem(object: KObject): { path: Path; message: string } | undefined {
  const md = object.metadata;
  if (md !== undefined && md !== null && !isMapping(md)) {
    return { path: ["metadata"], message: `metadata: expected a mapping, got ${describeValue(md)}` };
  }
  const meta = (md ?? {}) as KObject;
  for (const key of ["name", "generateName", "namespace"] as const) {
    const v = meta[key];
    if (v !== undefined && v !== null && typeof v !== "string") {
      return {
        path: ["metadata", key],
        message: `metadata.${key}: expected a string, got ${describeValue(v)}`,
      };
    }
  }
  return undefined;
}

function makeResource(
  node: NodeRef,
  object: KObject,
  apiVersion: string,
  kind: string,
): Resource | undefined {
  const problem = metadataProblem(object);
  if (problem) {
    nodeError(node, problem.path, problem.message);
    return undefined;
  }
  const meta = (object.metadata ?? {}) as KObject;
  const name =
    (meta.name as string | undefined | null) ?? (meta.generateName as string | undefined | null) ?? "";
  const pos = positionOf(node, []);
  node.value = object;
  const resource: Resource = {
    apiVersion,
    kind,
    name,
    object,
    source: { file: node.doc.input.file, document: node.doc.index, line: pos.line, column: pos.column },
    docPath: node.docPath,
    locate: (path: Path) => positionOf(node, path),
  };
  const ns = meta.namespace;
  if (typeof ns === "string") resource.namespace = ns;
  const { pod, problems } = extractPod(object, kind);
  if (pod) resource.pod = pod;
  else if (problems.length > 0) problemsToErrors(node, problems);
  return resource;
}

/** Adds the object at `node` (a resource, a List, a snapshot) to the result. */
function visit(node: NodeRef, value: unknown): void {
  const input = node.doc.input;
  const where = node.docPath.length === 0 ? "document" : formatPath(node.docPath);
  if (!isMapping(value)) {
    nodeError(
      node,
      [],
      `${where} is not a mapping (got ${describeValue(value)}); expected a Kubernetes object`,
    );
    return;
  }
  let { apiVersion, kind } = value;
  // Items of a typed list (PodList, …) as the API server returns them carry no apiVersion or kind.
  const inherited = node.inherit;
  if (inherited) {
    if (apiVersion === undefined) apiVersion = inherited.apiVersion;
    if (kind === undefined) kind = inherited.kind;
  }
  if (typeof apiVersion !== "string" || apiVersion === "") {
    const has = apiVersion !== undefined && apiVersion !== null;
    nodeError(
      node,
      has ? ["apiVersion"] : [],
      has ? `apiVersion: expected a string, got ${describeValue(apiVersion)}` : `${where} has no apiVersion`,
    );
    return;
  }
  if (typeof kind !== "string" || kind === "") {
    const has = kind !== undefined && kind !== null;
    nodeError(
      node,
      has ? ["kind"] : [],
      has ? `kind: expected a string, got ${describeValue(kind)}` : `${where} has no kind`,
    );
    return;
  }
  const snapshot = isSnapshot(value);
  const list = !snapshot && (kind === "List" || (kind.endsWith("List") && Array.isArray(value.items)));
  if (snapshot || list) {
    if (snapshot) addSnapshot(node, value);
    const items = value.items;
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) {
      nodeError(node, ["items"], `items: expected a list, got ${describeValue(items)}`);
      return;
    }
    const nodes = itemNodes(node, items.length);
    const table = input.yaml?.table;
    const itemsAt = tableEntry(node, value, "items");
    // The items' entries, in order: each item's collection follows its entry.
    let itemAt = itemsAt >= 0 && table ? table.entry(table.valueOf(itemsAt), 0, items) : -1;
    const inherit = kind !== "List" && !snapshot ? { apiVersion, kind: kind.slice(0, -4) } : undefined;
    for (let i = 0; i < items.length; i++) {
      const child = nodes[i]!;
      if (itemAt > 0 && table) {
        child.collection = table.valueOf(itemAt);
        itemAt = table.next[itemAt]!;
      }
      if (inherit) child.inherit = inherit;
      visit(child, items[i]);
    }
    return;
  }
  const resource = makeResource(node, value, apiVersion, kind);
  if (resource) input.result.resources.push(resource);
}

/** The entry `key` of the node's collection in the position table, or -1. */
function tableEntry(node: NodeRef, value: KObject, key: string): number {
  const table = node.doc.input.yaml?.table;
  if (!table || node.collection === undefined || node.collection < 0) return -1;
  const e = table.entry(node.collection, key, value);
  return e === UNKNOWN ? -1 : e;
}

function addSnapshot(node: NodeRef, value: KObject): void {
  const input = node.doc.input;
  const { meta, problems } = snapshotMeta(value);
  problemsToErrors(node, problems);
  if (input.result.snapshot) {
    nodeError(node, [], "more than one ClusterSnapshot in the input: the metadata of the first is used");
    return;
  }
  input.result.snapshot = meta as SnapshotMeta;
}

function utf8Length(text: string, stopAbove: number): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
    if (n > stopAbove) return n;
  }
  return n;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function ingestJson(input: InputCtx): boolean {
  let value: unknown;
  try {
    value = JSON.parse(input.text);
  } catch {
    return false;
  }
  const text = input.text;
  const doc: DocCtx = { input, index: 0, start: 0, end: text.length };
  const root = firstContent(text);
  const rootNode: NodeRef = {
    doc,
    docPath: [],
    at: root,
    region: { start: 0, end: text.length, prefix: [] },
  };
  const deep = tooDeep(value, input.limits.maxDepth);
  if (deep) {
    nodeError(rootNode, deep, `document nests deeper than ${input.limits.maxDepth} levels (limit maxDepth)`);
    return true;
  }
  if (!Array.isArray(value)) {
    visit(rootNode, value);
    return true;
  }
  let items: SeqItem[] | typeof UNSURE = UNSURE;
  try {
    items = sequenceItems(text, root, text.length, true);
  } catch {
    items = UNSURE;
  }
  if (items !== UNSURE && items.length !== value.length) items = UNSURE;
  for (let i = 0; i < value.length; i++) {
    const at = items === UNSURE ? UNSURE : items[i]!.at;
    visit({ doc, docPath: [i], at, region: { start: 0, end: text.length, prefix: [i] } }, value[i]);
  }
  return true;
}

function ingestYaml(input: InputCtx): void {
  const { text, limits } = input;
  const docs = splitDocuments(text);
  let count = docs.length;
  if (count > limits.maxDocuments) {
    const first = docs[limits.maxDocuments]!;
    errorAt(
      undefined,
      input,
      first.start,
      `more than ${limits.maxDocuments} documents in this input; the rest are not read (limit maxDocuments)`,
    );
    count = limits.maxDocuments;
  }
  for (let d = 0; d < count; d++) {
    const chunk = docs[d]!;
    if (chunk.content === -1) continue;
    const doc: DocCtx = { input, index: chunk.index, start: chunk.start, end: chunk.end };
    try {
      input.yaml ??= new BlockYamlInput(text);
      const parsed = parseYamlChunk(text, chunk.start, chunk.end, chunk.content, limits, input.yaml);
      if (!parsed.ok) {
        errorAt(doc, input, parsed.offset, parsed.message);
        continue;
      }
      if (parsed.value === undefined) continue;
      let at = UNSURE;
      try {
        at = documentRoot(text, chunk.content, chunk.end);
      } catch {
        at = UNSURE;
      }
      const region = { start: chunk.start, end: chunk.end, prefix: [] };
      // The document's root collection in the position table, when the fast path read it.
      visit({ doc, docPath: [], at, region, collection: parsed.root ?? -1 }, parsed.value);
    } catch (err) {
      errorAt(doc, input, chunk.content, `could not read the document: ${String(err)}`);
    }
  }
}

/**
 * Reads inputs into resources. Never throws: every problem becomes an error entry with a position, and one
 * bad document never stops the others. Bounds default to {@link DEFAULT_LIMITS}.
 *
 * @example
 * const { resources, errors } = ingest([{ file: "web.yaml", text }]);
 * resources[0].locate(["spec", "replicas"]); // { line: 7, column: 3 }
 */
export function ingest(inputs: readonly InputFile[], limits?: Partial<IngestLimits>): IngestResult {
  const lim: IngestLimits = { ...DEFAULT_LIMITS, ...limits };
  const result: IngestResult = { resources: [], errors: [] };
  for (const file of inputs) {
    const name = typeof file?.file === "string" ? file.file : "<input>";
    try {
      const text = file.text;
      if (typeof text !== "string") {
        result.errors.push({ file: name, line: 1, column: 1, message: "input is not text" });
        continue;
      }
      const input: InputCtx = {
        file: name,
        text,
        lines: new LineIndex(text),
        trees: new TreeCache(),
        json: false,
        errors: result.errors,
        memoNode: undefined,
        memo: undefined,
        yaml: undefined,
        errorCount: 0,
        maxErrors: lim.maxErrors ?? DEFAULT_LIMITS.maxErrors ?? 1000,
        result,
        limits: lim,
      };
      if (
        text.length > lim.maxBytes ||
        (text.length * 3 > lim.maxBytes && utf8Length(text, lim.maxBytes) > lim.maxBytes)
      ) {
        pushError(input, {
          file: name,
          line: 1,
          column: 1,
          message: `input is larger than ${formatBytes(lim.maxBytes)}; it is not read (limit maxBytes)`,
        });
        continue;
      }
      if (looksLikeJson(text)) {
        input.json = true;
        if (ingestJson(input)) continue;
        input.json = false;
      }
      ingestYaml(input);
    } catch (err) {
      result.errors.push({
        file: name,
        line: 1,
        column: 1,
        message: `could not read the input: ${String(err)}`,
      });
    }
  }
  return result;
}
