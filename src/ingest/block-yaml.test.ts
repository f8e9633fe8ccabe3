/**
 * The fast path is held to js-yaml: for any text, it either falls back or builds exactly the value
 * js-yaml builds with kubeSchema(); when js-yaml refuses a text, the fast path always falls back.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { dump, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { BlockYamlInput, FALLBACK, parseBlockYaml, UNKNOWN } from "./block-yaml.ts";
import { documentRoot, locateInText } from "./locate-text.ts";
import { kubeSchema } from "./schema.ts";
import { splitDocuments } from "./split.ts";

const MAX_DEPTH = 64;

type Outcome = { fast: "fallback" } | { fast: "value"; agrees: boolean; jsYaml: "value" | "error" };

/** Runs both parsers on every document of `text`. */
function compare(text: string): Outcome[] {
  return splitDocuments(text)
    .filter((d) => d.content !== -1)
    .map((d) => {
      const fast = parseBlockYaml(text, d.start, d.end, MAX_DEPTH);
      if (fast === FALLBACK) return { fast: "fallback" };
      try {
        const slow = load(text.slice(d.start, d.end), { schema: kubeSchema() });
        return { fast: "value", agrees: isDeepStrictEqual(fast.value, slow), jsYaml: "value" };
      } catch {
        return { fast: "value", agrees: false, jsYaml: "error" };
      }
    });
}

/** Every path into `value` (mapping keys and sequence indexes), plus a missing key under each mapping. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (out.length > 400) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i]);
      pathsOf(v, [...prefix, i], out);
    });
    out.push([...prefix, value.length]);
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      pathsOf(v, [...prefix, k], out);
    }
    out.push([...prefix, "no-such-key"]);
  }
  return out;
}

/**
 * For every document the fast path reads, the position table places every field (and the nearest
 * parent of a missing one) where the text locator does. Returns how many paths were compared.
 */
function expectSamePositions(text: string): number {
  const input = new BlockYamlInput(text);
  const { table } = input;
  let compared = 0;
  for (const d of splitDocuments(text)) {
    if (d.content === -1) continue;
    const fast = parseBlockYaml(text, d.start, d.end, MAX_DEPTH, input);
    if (fast === FALLBACK) continue;
    const at = documentRoot(text, d.content, d.end);
    for (const path of pathsOf(fast.value)) {
      const fromTable = table.locate(fast.root, at, path, fast.value);
      if (fromTable === UNKNOWN) continue;
      const fromText = locateInText(text, at, d.end, path, false);
      if (fromText < 0) continue;
      expect({ text, path, at: fromTable }).toEqual({ text, path, at: fromText });
      compared++;
    }
  }
  return compared;
}

function expectAgreement(text: string): Outcome[] {
  const outcomes = compare(text);
  for (const o of outcomes) {
    if (o.fast === "value")
      expect({ text, ...o }).toEqual({ text, fast: "value", agrees: true, jsYaml: "value" });
  }
  return outcomes;
}

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
const PSS = new URL("../../../shared/conformance/pss/", import.meta.url).pathname;

/** Every fixture of the PSS conformance suite. */
function pssFixtures(): string[] {
  const out: string[] = [];
  for (const level of ["baseline", "restricted"]) {
    for (const version of readdirSync(`${PSS}${level}`).sort()) {
      for (const verdict of ["pass", "fail"]) {
        const dir = `${PSS}${level}/${version}/${verdict}/`;
        for (const f of readdirSync(dir).sort()) out.push(readFileSync(dir + f, "utf8"));
      }
    }
  }
  return out;
}

/** Counts how often the fast path read a document itself, so the random tests show they reach it. */
const tally = { fast: 0, all: 0 };
function counted(outcomes: Outcome[]): void {
  for (const o of outcomes) {
    tally.all++;
    if (o.fast === "value") tally.fast++;
  }
}

describe("parseBlockYaml", () => {
  it("reads real manifests itself and agrees with js-yaml on every one", () => {
    const texts = [
      ...readdirSync(FIXTURES)
        .sort()
        .map((f) => readFileSync(FIXTURES + f, "utf8")),
      ...pssFixtures(),
    ];
    let fast = 0;
    let all = 0;
    for (const t of texts) {
      for (const o of expectAgreement(t)) {
        all++;
        if (o.fast === "value") fast++;
      }
    }
    // The fast path is the common path, not a stub that always falls back.
    expect(all).toBeGreaterThan(4000);
    expect(fast / all).toBeGreaterThan(0.9);
  });

  it("records positions where the text locator finds them", () => {
    let compared = 0;
    for (const f of readdirSync(FIXTURES).sort())
      compared += expectSamePositions(readFileSync(FIXTURES + f, "utf8"));
    for (const t of pssFixtures().slice(0, 1500)) compared += expectSamePositions(t);
    // Long sequences, whose later items are found through an index rather than sibling links.
    const rules = Array.from(
      { length: 60 },
      (_, i) => `- apiGroups:\n  - ""\n  verbs:\n  - get\n  - list${i}\n`,
    );
    const long = expectSamePositions(`kind: ClusterRole\nrules:\n${rules.join("")}items:\n${rules.join("")}`);
    expect(long).toBeGreaterThan(400);
    compared += long;
    expect(compared).toBeGreaterThan(10000);
  });

  it("records positions where the text locator finds them, on random dumps", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), style, (v, s) => {
        compared += expectSamePositions(dump(v, { ...s, schema: kubeSchema() }));
      }),
      { numRuns: 1000 },
    );
    expect(compared).toBeGreaterThan(1000);
  });

  it("reads the constructs manifests use", () => {
    const text = [
      "# leading comment",
      "---  # the marker may carry a comment",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: web   # trailing comment",
      '  "quoted key": x',
      "  'it''s': \"tab\\there \\x41\\u00e9\\U0001F600 \\\" \\\\\"",
      "  empty:",
      "  flow: {}",
      "  list: []",
      "data:",
      "  literal: |",
      "    line one",
      "",
      "      indented",
      "  stripped: |-",
      "    x",
      "",
      "  kept: |+",
      "    y",
      "",
      "  typed: [on, 0644, 1_000, 0x1F, .inf, -.5, 1e3, ~, 'yes']",
      "  yes: 1",
      "  1.0: a",
      "items:",
      "- a",
      "- name: c",
      "  image: nginx:1.27 # pinned",
      "  args:",
      "  - --port=80",
      "  - http://x:80/#frag",
      "-",
      "  nested: true",
      "- - x",
    ].join("\n");
    // The flow sequence and the compact nested sequence fall back; cut them out to see the rest read.
    const readable = text.replace(/ {2}typed: .*\n/, "").replace(/- - x$/, "- last");
    const outcomes = expectAgreement(readable);
    expect(outcomes).toEqual([{ fast: "value", agrees: true, jsYaml: "value" }]);
    expect(compare(text)).toEqual([{ fast: "fallback" }]);
  });

  it.each([
    ["an anchor and alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a flow mapping", "a: {b: 1}\n"],
    ["a folded scalar", "a: >\n  x\n  y\n"],
    ["an indentation indicator", "a: |2\n   x\n"],
    ["a multi-line plain scalar", "a: b\n  c\n"],
    ["a multi-line quoted scalar", 'a: "b\n  c"\n'],
    ["a merge key", "a: 1\n<<: {b: 2}\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["__proto__", "__proto__: 1\n"],
    ["a tab", "a:\tb\n"],
    ["a CR line end", "a: b\r\n"],
    ["a directive", "%YAML 1.2\n---\na: b\n"],
    ["a second mapping value on a line", "a: b: c\n"],
    ["bad indentation", "a:\n    b: 1\n  c: 2\n"],
    ["a scalar root", "just text\n"],
    ["a complex key", "? a\n: b\n"],
    ["a non-printable character", "a: \u0001\n"],
    // js-yaml drops a leading `---` of the first line whatever follows it.
    ["three dashes opening the first key", "---x: 1\n"],
    ["four dashes opening the first key", "# c\n----: x\n"],
    ["three dashes before a key after a comment", "# c\n---apiVersion: v1\nkind: Pod\n"],
    // After an empty item js-yaml reads any `-` line as the same sequence's next item.
    ["an empty item before a less indented item", "-\n  -\n- x\n"],
    ["an empty item ending a nested list", "c:\n- name: a\n  args:\n  -\n- name: b\n"],
  ])("falls back on %s", (_name, text) => {
    expect(compare(text).every((o) => o.fast === "fallback")).toBe(true);
  });

  it("falls back before the depth bound, so js-yaml reports it", () => {
    let text = "";
    for (let i = 0; i < MAX_DEPTH + 2; i++) text += `${" ".repeat(i)}k${i}:\n`;
    expect(compare(`${text}${" ".repeat(MAX_DEPTH + 2)}leaf: 1\n`)).toEqual([{ fast: "fallback" }]);
  });

  // Random values dumped in many styles: whatever the fast path reads, it reads as js-yaml does.
  const scalar = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme", maxLength: 6 }),
    fc.string({ unit: fc.constantFrom(" ", "\n", ":", "#", "-", "'", '"', "a", "\\", "|") }),
    fc.constantFrom(
      "yes",
      "No",
      "on",
      "OFF",
      "y",
      "~",
      "null",
      "0644",
      "0o17",
      "1_000",
      "0x1F",
      ".inf",
      "-.NaN",
    ),
    fc.constantFrom("1e3", "-.5", "+12", "12:30", "a: b", "a #b", "a#b", "- x", "'q'", '"d"', "|", ">", "&a"),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const key = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("yes", "1", "0x10", "a b", "k:v", "- k"),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(key, tie("node"), { maxKeys: 4 }),
    ),
  })).node;
  const style = fc.record({
    indent: fc.integer({ min: 1, max: 4 }),
    noArrayIndent: fc.boolean(),
    quotingType: fc.constantFrom<"'" | '"'>("'", '"'),
    forceQuotes: fc.boolean(),
    lineWidth: fc.constantFrom(-1, 20, 80),
  });

  it("agrees with js-yaml on random values dumped by js-yaml", () => {
    tally.fast = tally.all = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), style, (v, s) => {
        counted(expectAgreement(dump(v, { ...s, schema: kubeSchema() })));
      }),
      { numRuns: 2000 },
    );
    expect(tally.fast / tally.all).toBeGreaterThan(0.3);
  });

  it("agrees with js-yaml on random values written by the yaml package", () => {
    tally.fast = tally.all = 0;
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<boolean | "literal">(true, "literal"),
        (v, indent, literal) => {
          const text = stringify(v, { indent, indentSeq: indent > 1, blockQuote: literal });
          counted(expectAgreement(text));
          expectSamePositions(text);
        },
      ),
      { numRuns: 1000 },
    );
    expect(tally.fast / tally.all).toBeGreaterThan(0.3);
  });

  // Random lines from a grammar near the subset's edges: malformed combinations included.
  const piece = fc.constantFrom(
    "k: v",
    "k:",
    "k2: 1",
    "- x",
    "- k: v",
    "-",
    "# c",
    "",
    "   ",
    "k: |",
    "k: |-",
    "k: |+",
    "k: >",
    "k: {}",
    "k: []",
    "k: [a]",
    '"q k": v',
    "'s''k': v",
    'k: "a\\n\\x41\\u00e9"',
    'k: "bad \\q"',
    'k: "open',
    "k: 'open",
    "k: 'it''s'",
    "k: yes",
    "k: 0644",
    "k: 1_000",
    "k: -.5",
    "k: a: b",
    "k: a #c",
    "k: a#b",
    "k: http://x:80",
    "k: &a x",
    "k: *a",
    "k: !t x",
    "k:v",
    "? k",
    ": v",
    "--- ",
    "---",
    "...",
    "%YAML 1.2",
    "k: v  ",
    "k  : v",
    "k: - x",
    "k: -1",
    "text line",
    "  literal content",
    "k: ''",
    'k: ""',
    "---x: 1",
    "----: x",
    "- # c",
  );
  const line = fc.tuple(fc.constantFrom(0, 0, 2, 2, 4, 1, 3, 6), piece).map(([n, p]) => " ".repeat(n) + p);

  it("agrees with js-yaml on random lines, malformed ones included", () => {
    tally.fast = tally.all = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 14 }), fc.boolean(), (lines, newline) => {
        counted(expectAgreement(lines.join("\n") + (newline ? "\n" : "")));
      }),
      { numRuns: 20000 },
    );
    expect(tally.fast).toBeGreaterThan(500);
  });

  // Structured documents close to the subset: nested mappings and sequences at varied indentation,
  // compact `- key:` items, literal blocks, quoted and escaped scalars, comments and blank lines, keys
  // and values from a pool of edge cases. A seeded generator (an LCG) keeps each case reproducible.
  const ATOMS = [
    ...["a", "name", "x y", "a:b", "a#b", "a'b", 'a"b', "-a", "?a", ":a", "yes", "no", "on", "y", "true"],
    ...["1", "0x10", "16", "1.0", "01", "0644", "~", "null", "-0", "+1", ".inf", "1e3", "1_0", "<<", "a]"],
    ...["a,b", "12:30", "http://x:80/#f", "a: b", "a #b", "- x", "|", ">", "", " ", "a ", "\\", "8080"],
    ...["😀", "e\u0301", "a\u2028b", "a\x85b", "\xa0", "---", "...", "--- x", "#", "&a", "*a", "{}", "[]"],
  ];
  type Node = string | { seq: Node[] } | { map: [string, Node][] } | { lit: string[]; chomp: string };

  function structured(seed: number): string {
    let state = seed;
    const rnd = () => {
      state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
      return state / 0x80000000;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const chance = (p: number) => rnd() < p;
    const scalar = (v: string) => {
      const r = rnd();
      if (r < 0.6) return v;
      if (r < 0.8) return `'${v.replaceAll("'", "''")}'`;
      return JSON.stringify(v);
    };
    const node = (d: number): Node => {
      const r = rnd();
      if (d > 4 || r < 0.45) {
        if (chance(0.12)) {
          const lines = Array.from({ length: Math.floor(rnd() * 4) }, () =>
            pick(["x", "", " y", "# c", "- a", "a: b"]),
          );
          return { lit: lines, chomp: pick(["", "-", "+"]) };
        }
        return pick(ATOMS);
      }
      if (r < 0.7)
        return {
          seq: Array.from({ length: 1 + Math.floor(rnd() * (chance(0.1) ? 25 : 4)) }, () => node(d + 1)),
        };
      return {
        map: Array.from(
          { length: 1 + Math.floor(rnd() * 4) },
          () => [pick(ATOMS), node(d + 1)] as [string, Node],
        ),
      };
    };
    const out: string[] = [];
    const junk = (indent: number) => {
      while (chance(0.08)) out.push(pick(["", " ".repeat(indent + 3), "# c", `${" ".repeat(indent)}# c`]));
    };
    const comment = () => (chance(0.08) ? pick([" # c", "  #"]) : "");
    const inline = (v: string | { lit: string[]; chomp: string }, owner: number): [string, string[]] => {
      if (typeof v === "string") return [scalar(v) + comment(), []];
      const at = owner + pick([1, 2, 2, 3]);
      return [
        `|${v.chomp}${comment()}`,
        v.lit.map((l) => (l === "" ? " ".repeat(pick([0, at, at + 1])) : " ".repeat(at) + l)),
      ];
    };
    const pair = (k: string, v: Node, indent: number, prefix: string) => {
      junk(indent);
      const key = `${prefix}${scalar(k)}${chance(0.1) ? " " : ""}:`;
      if (typeof v === "string" || "lit" in v) {
        const [text, body] = inline(v, indent);
        out.push(text === "" ? key : `${key} ${text}`, ...body);
      } else if ("seq" in v) {
        out.push(key + comment());
        const at = indent + (chance(0.4) ? 0 : pick([1, 2, 4]));
        for (const x of v.seq) item(x, at);
      } else {
        out.push(key + comment());
        const at = indent + pick([1, 2, 4]);
        for (const [kk, vv] of v.map) pair(kk, vv, at, " ".repeat(at));
      }
    };
    const item = (v: Node, indent: number) => {
      junk(indent);
      const dash = `${" ".repeat(indent)}-${pick([" ", " ", "  "])}`;
      if (typeof v === "string" || "lit" in v) {
        const [text, body] = inline(v, indent);
        out.push(text === "" ? dash.trimEnd() : dash + text, ...body);
      } else if ("map" in v && chance(0.7)) {
        const [[k, first], ...rest] = v.map as [[string, Node], ...[string, Node][]];
        pair(k, first, dash.length, dash);
        for (const [kk, vv] of rest) pair(kk, vv, dash.length, " ".repeat(dash.length));
      } else {
        out.push(dash.trimEnd() + comment());
        const at = indent + pick([1, 2, 3]);
        if ("seq" in v) for (const x of v.seq) item(x, at);
        else for (const [kk, vv] of v.map) pair(kk, vv, at, " ".repeat(at));
      }
    };
    const docs = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < docs; i++) {
      if (i > 0) out.push(pick(["---", "--- # c"]));
      const root = node(1);
      if (typeof root === "object" && "seq" in root) for (const x of root.seq) item(x, 0);
      else pair(pick(ATOMS), root, 0, "");
      junk(0);
    }
    return `${out.join("\n")}\n`;
  }

  it("agrees with js-yaml, and places every field, on structured documents near the subset", () => {
    tally.fast = tally.all = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const text = structured(seed);
        counted(expectAgreement(text));
        expectSamePositions(text);
      }),
      { numRuns: 3000 },
    );
    expect(tally.fast).toBeGreaterThan(300);
  });
});
