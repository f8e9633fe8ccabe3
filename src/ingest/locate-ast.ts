/**
 * Positions from the `yaml` package's syntax tree: the reference the fast indexer (locate-text.ts) is
 * tested against, and its fallback for text it does not model. Trees are built only on demand, for one
 * region of text, and only a few are kept.
 */
import { isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";
import { plainKey } from "./schema.ts";
import type { Path } from "./types.ts";

type Tree = ReturnType<typeof parseDocument>;

/** The key as js-yaml (with the Kubernetes schema) names it: plain keys resolve by our rules, not the tree's. */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (key.type === "PLAIN" && typeof key.source === "string") return plainKey(key.source);
  return key.value === null ? "null" : String(key.value);
}

/** Parses a region as one YAML document, with go-yaml v2 scalars (YAML 1.1) and merge keys left as keys. */
export function parseTree(source: string): Tree {
  return parseDocument(source, {
    version: "1.1",
    merge: false,
    uniqueKeys: false,
    strict: false,
    prettyErrors: false,
  });
}

/**
 * Offset (in the tree's source) of the deepest existing field on `path`: a key's start, or a sequence
 * item's start. -1 when the document has no content.
 */
export function locateInTree(tree: Tree, path: Path): number {
  let node: unknown = tree.contents;
  let best = (node as Node | null)?.range?.[0] ?? -1;
  for (const seg of path) {
    if (isMap(node)) {
      const want = String(seg);
      const pair = node.items.find((p) => keyText(p.key) === want);
      const at = (pair?.key as Node | undefined)?.range?.[0];
      if (!pair || at === undefined) break;
      best = at;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      const at = item?.range?.[0];
      if (at === undefined) break;
      best = at;
      node = item;
    } else break;
  }
  return best;
}

/** A small cache of trees by region, so many findings in one document parse it once. */
export class TreeCache {
  private readonly trees = new Map<string, Tree>();

  constructor(private readonly size = 4) {}

  /** The tree of `text[start, end)`; built on first use. */
  get(text: string, start: number, end: number): Tree {
    const key = `${start}:${end}`;
    let tree = this.trees.get(key);
    if (tree) {
      this.trees.delete(key);
    } else {
      tree = parseTree(text.slice(start, end));
      if (this.trees.size >= this.size) {
        const oldest = this.trees.keys().next().value;
        if (oldest !== undefined) this.trees.delete(oldest);
      }
    }
    this.trees.set(key, tree);
    return tree;
  }
}
