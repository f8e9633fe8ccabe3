/**
 * Parses one YAML document (a chunk of the input): plain block YAML through the fast path
 * (block-yaml.ts), everything else with js-yaml, the fastest general JavaScript YAML parser, under the
 * ingest bounds: nesting depth is counted on the parser's own node events, and aliases are
 * counted as they would expand (so a "billion laughs" document is refused after a few aliases, never
 * expanded). Recursive aliases and `__proto__` smuggled through merge keys are refused too.
 */
import { load, type State, YAMLException } from "js-yaml";
import { type BlockYamlInput, FALLBACK, parseBlockYaml } from "./block-yaml.ts";
import { kubeSchema } from "./schema.ts";

/** A parsed document, or why it could not be parsed and where (an offset into the whole input). */
export type ChunkParse =
  | {
      ok: true;
      value: unknown;
      /** Root collection in the position table, when the fast path read it. */
      root?: number;
    }
  | { ok: false; offset: number; message: string };

/** Thrown from the parser's listener when a bound is crossed; carries the offset in the chunk. */
class BoundExceeded extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

interface AnchorMapState extends State {
  anchorMap: Record<string, unknown>;
  anchor: string | null;
}

type Listener = (event: "open" | "close", state: State) => void;

function depthListener(maxDepth: number, slack: number): Listener {
  // A scalar inside `maxDepth` nested collections sits at level maxDepth + 1.
  const max = maxDepth + 1 + slack;
  let depth = 0;
  return (event, state) => {
    if (event === "open") {
      if (++depth > max) throw new BoundExceeded(depthMessage(maxDepth), state.position);
    } else depth--;
  };
}

function depthMessage(maxDepth: number): string {
  return `document nests deeper than ${maxDepth} levels (limit maxDepth)`;
}

/**
 * Tracks, per node, how many alias resolutions it holds once expanded and how tall it is, so an alias
 * costs what it would cost expanded. A proxy on js-yaml's anchor map sees each alias as it resolves.
 */
function aliasListener(maxDepth: number, slack: number, maxAliases: number): Listener {
  const max = maxDepth + 1 + slack;
  let depth = 0;
  let total = 0;
  const counts: number[] = [0];
  const heights: number[] = [0];
  const anchorCount = new Map<string, number>();
  const anchorHeight = new Map<string, number>();
  const open = new Set<string>();
  let alias: string | null = null;
  let aliasDepth = -1;
  let installed = false;
  return (event, raw) => {
    const state = raw as AnchorMapState;
    if (event === "open") {
      if (!installed) {
        installed = true;
        const target = state.anchorMap;
        state.anchorMap = new Proxy(target, {
          get(t, name) {
            if (typeof name === "string") {
              if (open.has(name))
                throw new BoundExceeded(`alias *${name} refers to its own anchor`, state.position);
              alias = name;
              aliasDepth = depth;
            }
            return Reflect.get(t, name);
          },
          set(t, name, value) {
            if (typeof name === "string") open.add(name);
            return Reflect.set(t, name, value);
          },
        });
      }
      if (++depth > max) throw new BoundExceeded(depthMessage(maxDepth), state.position);
      counts.push(0);
      heights.push(0);
      return;
    }
    let count = counts.pop() ?? 0;
    let height = 1 + (heights.pop() ?? 0);
    if (alias !== null && aliasDepth === depth) {
      const name = alias;
      alias = null;
      count = 1 + (anchorCount.get(name) ?? 0);
      height = anchorHeight.get(name) ?? 1;
      total += count;
      if (total > maxAliases) {
        throw new BoundExceeded(
          `document resolves more than ${maxAliases} aliases once expanded (limit maxAliases)`,
          state.position,
        );
      }
      if (depth - 1 + height > max) throw new BoundExceeded(depthMessage(maxDepth), state.position);
    }
    if (state.anchor !== null) {
      anchorCount.set(state.anchor, count);
      anchorHeight.set(state.anchor, height);
      open.delete(state.anchor);
    }
    depth--;
    const top = counts.length - 1;
    counts[top] = (counts[top] ?? 0) + count;
    heights[top] = Math.max(heights[top] ?? 0, height);
  };
}

/** Whether every object reachable from `value` is a plain object or array (merge keys can smuggle `__proto__`). */
function plainPrototypes(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    for (const k in v) if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

/**
 * Parses the document `text[start, end)`. `content` is the offset of its first content character, used as
 * the position of problems that have no better one. `input` is the fast path's state for this input text.
 */
export function parseYamlChunk(
  text: string,
  start: number,
  end: number,
  content: number,
  limits: { maxDepth: number; maxAliases: number },
  input?: BlockYamlInput,
): ChunkParse {
  // Most manifests are plain block YAML, which the fast path reads exactly as js-yaml would.
  const fast = parseBlockYaml(text, start, end, limits.maxDepth, input);
  if (fast !== FALLBACK) return { ok: true, value: fast.value, root: fast.root };
  const chunk = text.slice(start, end);
  // js-yaml drops a leading byte order mark, which shifts its offsets by one.
  const shift = text.charCodeAt(start) === 0xfeff ? start + 1 : start;
  const aliases = chunk.includes("*") && chunk.includes("&");
  // js-yaml opens one more node around a flow collection at the root (it first tries it as a block key).
  const root = text.charCodeAt(content);
  const slack = root === 123 || root === 91 ? 1 : 0;
  const listener = aliases
    ? aliasListener(limits.maxDepth, slack, limits.maxAliases)
    : depthListener(limits.maxDepth, slack);
  try {
    const value = load(chunk, { schema: kubeSchema(), listener });
    if (chunk.includes("<<") && !plainPrototypes(value)) {
      return { ok: false, offset: content, message: "a merge key (<<) may not set __proto__" };
    }
    return { ok: true, value };
  } catch (err) {
    if (err instanceof BoundExceeded) return { ok: false, offset: shift + err.at, message: err.message };
    if (err instanceof YAMLException) {
      const at = err.mark?.position;
      return {
        ok: false,
        offset: typeof at === "number" ? shift + at : content,
        message: `invalid YAML: ${err.reason}`,
      };
    }
    if (err instanceof RangeError)
      return { ok: false, offset: content, message: depthMessage(limits.maxDepth) };
    return { ok: false, offset: content, message: `could not read the document: ${String(err)}` };
  }
}
