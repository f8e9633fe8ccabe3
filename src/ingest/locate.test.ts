/**
 * The fast indexer (locate-text.ts) must give exactly the `yaml` package's positions (locate-ast.ts)
 * wherever it answers: on the PSS conformance fixtures, on kubectl fixtures, and on random documents
 * written by several emitters in many styles.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { dump, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { locateInTree, parseTree } from "./locate-ast.ts";
import { documentRoot, type LocateMemo, locateInText, UNSURE } from "./locate-text.ts";
import { kubeSchema } from "./schema.ts";
import { splitDocuments } from "./split.ts";
import type { Path } from "./types.ts";

const CONFORMANCE = new URL("../../../shared/conformance/pss/", import.meta.url).pathname;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (name.endsWith(".yaml")) out.push(p);
  }
  return out;
}

/** Every path in a value, plus a missing key or index under each collection. */
function allPaths(v: unknown, pre: (string | number)[] = [], out: Path[] = []): Path[] {
  out.push(pre);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) allPaths(v[i], [...pre, i], out);
    out.push([...pre, v.length], [...pre, v.length, "below"]);
  } else if (v !== null && typeof v === "object") {
    for (const k of Object.keys(v)) allPaths((v as Record<string, unknown>)[k], [...pre, k], out);
    out.push([...pre, "no-such-key"], [...pre, "no-such-key", 0]);
  } else {
    out.push([...pre, "below-a-scalar"]);
  }
  return out;
}

interface Outcome {
  compared: number;
  unsure: number;
  mismatches: string[];
}

/** Compares indexer and tree on every path of every document of `text`. */
function compare(text: string, json = false): Outcome {
  const out: Outcome = { compared: 0, unsure: 0, mismatches: [] };
  for (const d of splitDocuments(text)) {
    if (d.content < 0) continue;
    const chunk = text.slice(d.start, d.end);
    let value: unknown;
    try {
      value = load(chunk, { schema: kubeSchema() });
    } catch {
      continue;
    }
    const tree = parseTree(chunk);
    // The reference is only meaningful where both parsers accept the text.
    if (tree.errors.length > 0) continue;
    const root = documentRoot(text, d.content, d.end);
    if (root < 0) continue;
    const paths = allPaths(value);
    // One memo across the document's paths, visited from both ends at once so consecutive paths branch
    // off at every depth: a memo (the resumed walks of locate-text.ts) must never change an answer.
    const memo: LocateMemo = { path: [], keys: [], nodes: [], depth: 0, blocks: new Map() };
    const shapedMemo: LocateMemo = { path: [], keys: [], nodes: [], depth: 0, blocks: new Map() };
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i % 2 === 0 ? i / 2 : paths.length - 1 - (i - 1) / 2]!;
      const plain = locateInText(text, root, d.end, p, json);
      const memoised = locateInText(text, root, d.end, p, json, memo);
      const shaped = locateInText(text, root, d.end, p, json, undefined, value);
      const shapedMemoised = locateInText(text, root, d.end, p, json, shapedMemo, value);
      if ((plain !== memoised || shaped !== shapedMemoised) && out.mismatches.length < 5) {
        out.mismatches.push(
          `${JSON.stringify(p)}: ${plain}/${shaped} without a memo, ${memoised}/${shapedMemoised} with one`,
        );
      }
    }
    for (const p of paths) {
      const ref = locateInTree(tree, p);
      const want = ref < 0 ? root : d.start + ref;
      // With the parsed value, a missing field ends the walk early: the answer must not change.
      const shaped = locateInText(text, root, d.end, p, json, undefined, value);
      if (shaped !== UNSURE && shaped !== want && out.mismatches.length < 5) {
        out.mismatches.push(`${JSON.stringify(p)}: indexer with the value ${shaped}, yaml ${want}`);
      }
      const fast = locateInText(text, root, d.end, p, json);
      if (fast === UNSURE) {
        out.unsure++;
        continue;
      }
      out.compared++;
      if (fast !== want && out.mismatches.length < 5) {
        out.mismatches.push(
          `${JSON.stringify(p)}: indexer ${fast} ${JSON.stringify(text.slice(fast, fast + 15))}, yaml ${want} ${JSON.stringify(text.slice(want, want + 15))}`,
        );
      }
    }
  }
  return out;
}

describe("fast indexer vs the yaml package", () => {
  it("agrees on every field of every PSS conformance fixture", () => {
    const seen = new Set<string>();
    let compared = 0;
    for (const f of files(CONFORMANCE)) {
      const text = readFileSync(f, "utf8");
      if (seen.has(text)) continue;
      seen.add(text);
      const r = compare(text);
      expect(r.mismatches, f).toEqual([]);
      expect(r.unsure, f).toBe(0);
      compared += r.compared;
    }
    expect(seen.size).toBeGreaterThan(300);
    expect(compared).toBeGreaterThan(10_000);
  });

  it("agrees on the kubectl fixtures", () => {
    const dir = new URL("./fixtures/", import.meta.url).pathname;
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), "utf8");
      const r = compare(text, name.endsWith(".json"));
      expect(r.mismatches, name).toEqual([]);
      expect(r.unsure, name).toBe(0);
    }
  });

  it("agrees on odd but valid layouts", () => {
    const docs = [
      "a:\n- b: 1\n  c:\n  - d\n  -\n  - - e\n    - f\n",
      "a:\n  - b: 1\n    # comment\n\n    c: 2\n  -   x\n",
      "a: \"multi\n  line\"\nb: 'it''s\n  here'\nc: 1\n",
      "a: |\n  b: not a key\n  c: 2\nd: >-\n  folded\n  text\ne: 3\n",
      "a: [1, {b: 2, 'c d': [3]}, \"e\"]\nf: {g: {h: i}, j: k}\nl: {m: [n, o]}\n",
      "a:\n  b: [1,\n    2, {c: 3,\n      d: 4}]\n  e: 5\n",
      '"a b": 1\n\'c\': 2\n"d\\"e": 3\nf:g: 4\nyes: 5\n1: 6\n~: 7\n',
      "a: &x\n  b: 1\nc: !!map\n  d: 2\ne: !!str 3\n",
      "a: # comment\n  b: 1 # trailing\n  c: 'x' # more\n",
      "a:\n\n\n  b:\n\n    c: 1\n",
      'a: {"b": 1, "c":[2,3]}\n',
      "- ignored root sequence\n",
      "a: {b: 1, c}\nd: [e, f: g]\n",
      "a: 'b: c'\nd: \"e: f\"\ng: h #: i\n",
      "a:\r\n  b: 1\r\n  c:\r\n  - d\r\n",
    ];
    for (const text of docs) {
      const r = compare(text);
      expect(r.mismatches, text).toEqual([]);
    }
  });

  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("name", "spec", "image", "a", "securityContext", "x_y", "data") },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "app.kubernetes.io/name",
        "with space",
        "-dash",
        "yes",
        "null",
        "1",
        "0x1F",
        'quote"d',
        "it's",
        "colon: inside",
        "#hash",
        "ünïcödé",
        "tab\there",
        "",
        "true",
        "[x]",
        "*star",
        "&amp",
        "!bang",
        "? q",
        "a:b",
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  const scalar = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      "yes",
      "no",
      "~",
      "null",
      "0644",
      "1:30",
      "a: b",
      "- x",
      "#c",
      "multi\nline\ntext",
      "x".repeat(90),
    ),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("map")),
    list: fc.array(tie("node"), { maxLength: 4 }),
    map: fc.dictionary(key, tie("node"), { maxKeys: 5 }),
  })).map;

  const emit = fc.oneof(
    fc.record({
      kind: fc.constant("yaml" as const),
      indentSeq: fc.boolean(),
      flow: fc.boolean(),
      quote: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
      lineWidth: fc.constantFrom(0, 20, 80),
    }),
    fc.record({
      kind: fc.constant("js-yaml" as const),
      noArrayIndent: fc.boolean(),
      flowLevel: fc.constantFrom(-1, 1, 2, 3),
      quotingType: fc.constantFrom("'", '"'),
      forceQuotes: fc.boolean(),
      lineWidth: fc.constantFrom(-1, 20, 80),
    }),
    fc.record({ kind: fc.constant("json" as const), indent: fc.constantFrom(0, 2, 4) }),
  );

  /** Inserts comment and blank lines (at random indentation) after some lines: YAML stays valid. */
  const decorate = fc.array(
    fc.tuple(fc.nat(60), fc.nat(8), fc.constantFrom("# note", "", "#", "   # x: y")),
    {
      maxLength: 4,
    },
  );

  it("agrees on random documents in many styles", () => {
    let compared = 0;
    let unsure = 0;
    fc.assert(
      fc.property(value, emit, decorate, (v, e, extra) => {
        let text: string;
        if (e.kind === "yaml") {
          text = stringify(v, {
            indentSeq: e.indentSeq,
            collectionStyle: e.flow ? "flow" : "any",
            defaultStringType: e.quote as "PLAIN",
            defaultKeyType: "PLAIN",
            lineWidth: e.lineWidth,
          });
        } else if (e.kind === "js-yaml") {
          text = dump(v, {
            noArrayIndent: e.noArrayIndent,
            flowLevel: e.flowLevel,
            quotingType: e.quotingType as "'",
            forceQuotes: e.forceQuotes,
            lineWidth: e.lineWidth,
          });
        } else text = JSON.stringify(v, null, e.indent);
        if (e.kind !== "json" && extra.length > 0) {
          const lines = text.split("\n");
          for (const [at, indent, line] of extra) {
            lines.splice(Math.min(at, lines.length), 0, `${" ".repeat(indent)}${line}`);
          }
          text = `---\n${lines.join("\n")}`;
        }
        const r = compare(text, e.kind === "json");
        compared += r.compared;
        unsure += r.unsure;
        if (r.mismatches.length > 0) throw new Error(`${JSON.stringify(text)}\n${r.mismatches.join("\n")}`);
      }),
      { numRuns: 400, seed: 20_240_601 },
    );
    expect(compared).toBeGreaterThan(1000);
    // The indexer answers nearly everything itself; the tree is a rare fallback.
    expect(unsure / (compared + unsure)).toBeLessThan(0.1);
  });
});

describe("fast indexer at a document's end", () => {
  it("does not read the next document's --- line as an item of a sequence that ends this one", () => {
    const text = "- a\n- b\n---\n- x\n";
    const doc = splitDocuments(text)[0]!;
    const root = documentRoot(text, doc.content, doc.end);
    // A missing item points at the sequence itself, never past the document.
    expect(locateInText(text, root, doc.end, [2], false)).toBe(root);
    expect(locateInText(text, root, doc.end, [1], false)).toBe(6);
  });
});
