/**
 * Property tests: random, truncated and mutated manifests through ingest. Nothing throws; every input
 * with content yields resources or error entries; every position is inside the input.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { dump, loadAll } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ingest } from "./index.ts";
import { kubeSchema } from "./schema.ts";
import type { IngestResult, KObject, Path } from "./types.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
const CONFORMANCE = new URL("../../../shared/conformance/pss/restricted/v1.37/fail/", import.meta.url)
  .pathname;

const real: string[] = [
  ...readdirSync(FIXTURES)
    .sort()
    .map((f) => readFileSync(FIXTURES + f, "utf8")),
  ...readdirSync(CONFORMANCE)
    .sort()
    .slice(0, 20)
    .map((f) => readFileSync(CONFORMANCE + f, "utf8")),
];

/** Whether a text legitimately yields nothing: no content at all, or only empty Lists. */
function legitimatelyEmpty(text: string): boolean {
  let docs: unknown[];
  // Comments are skipped whatever they hold; a byte order mark may open any document's line.
  const uncommented = text
    .split("\n")
    .map((l) => l.replace(/^\uFEFF/, ""))
    .filter((l) => !l.trimStart().startsWith("#"))
    .join("\n");
  try {
    docs = loadAll(uncommented, undefined, { schema: kubeSchema() });
  } catch {
    return false;
  }
  const empty = (v: unknown): boolean => {
    // js-yaml reads a comment-only document as null.
    if (v === undefined || v === null) return true;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return Array.isArray(v) && v.length === 0;
    const o = v as KObject;
    if (typeof o.kind !== "string" || typeof o.apiVersion !== "string") return false;
    return (
      (o.kind.endsWith("List") || o.kind === "ClusterSnapshot") &&
      (o.items == null || (Array.isArray(o.items) && o.items.every(empty)))
    );
  };
  return docs.every(empty);
}

function lineCount(text: string): number {
  return text.split("\n").length;
}

/** Some paths into an object, existing or not. */
function somePaths(v: unknown, out: Path[] = [], pre: (string | number)[] = []): Path[] {
  if (out.length > 40) return out;
  out.push(pre, [...pre, "missing", 0]);
  if (Array.isArray(v)) for (let i = 0; i < Math.min(3, v.length); i++) somePaths(v[i], out, [...pre, i]);
  else if (v !== null && typeof v === "object")
    for (const k of Object.keys(v).slice(0, 5)) somePaths((v as KObject)[k], out, [...pre, k]);
  return out;
}

function checkResult(text: string, r: IngestResult): void {
  const lines = lineCount(text);
  const inBounds = (p: { line: number; column: number }) => {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines);
    expect(p.column).toBeGreaterThanOrEqual(1);
  };
  for (const e of r.errors) {
    inBounds(e);
    expect(typeof e.message).toBe("string");
  }
  for (const res of r.resources) {
    inBounds(res.source);
    for (const p of somePaths(res.object)) inBounds(res.locate(p));
    if (res.pod)
      inBounds(res.locate([...res.pod.path, "spec", "containers", 0, "securityContext", "privileged"]));
  }
  if (r.resources.length === 0 && r.errors.length === 0)
    expect(legitimatelyEmpty(text), JSON.stringify(text)).toBe(true);
}

function run(text: string): void {
  let r: IngestResult | undefined;
  expect(() => {
    r = ingest([{ file: "f.yaml", text }]);
  }).not.toThrow();
  checkResult(text, r!);
}

const SIGNIFICANT = [
  ":",
  "-",
  " ",
  "\n",
  '"',
  "'",
  "{",
  "}",
  "[",
  "]",
  "&a",
  "*a",
  "!",
  "#",
  "|",
  ">",
  "\t",
  "%",
  "@",
  "---\n",
  "...\n",
  "? ",
  "<<: ",
  "\\",
  "\u0000",
  "\uFEFF",
  "é",
];

describe("robustness", () => {
  it("survives random text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...SIGNIFICANT, "a", "b", "1"), maxLength: 80 }), run),
      { numRuns: 400, seed: 1 },
    );
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 60 }), run), { numRuns: 200, seed: 2 });
  });

  it("survives truncated manifests", () => {
    fc.assert(
      fc.property(fc.constantFrom(...real), fc.double({ min: 0, max: 1, noNaN: true }), (text, f) =>
        run(text.slice(0, Math.floor(text.length * f))),
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it("survives mutated manifests", () => {
    const edit = fc.tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.nat(4),
      fc.constantFrom(...SIGNIFICANT, "x"),
    );
    fc.assert(
      fc.property(fc.constantFrom(...real), fc.array(edit, { minLength: 1, maxLength: 4 }), (text, edits) => {
        let t = text;
        for (const [where, cut, insert] of edits) {
          const at = Math.floor(t.length * where);
          t = t.slice(0, at) + insert + t.slice(at + cut);
        }
        run(t);
      }),
      { numRuns: 500, seed: 4 },
    );
  });

  it("survives random values in YAML and JSON", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom("yaml", "js-yaml", "json"),
        fc.boolean(),
        (v, how, wrap) => {
          const value = wrap ? { apiVersion: "v1", kind: "Pod", metadata: { name: "x" }, spec: v } : v;
          const text =
            how === "json" ? JSON.stringify(value) : how === "yaml" ? stringify(value) : dump(value);
          run(text);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it("survives random pods with fields of random types", () => {
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const container = fc.record(
      {
        name: anyValue,
        securityContext: fc.oneof(
          anyValue,
          fc.record(
            { privileged: anyValue, capabilities: anyValue, runAsUser: anyValue },
            { requiredKeys: [] },
          ),
        ),
        ports: anyValue,
      },
      { requiredKeys: [] },
    );
    const spec = fc.record(
      {
        containers: fc.oneof(anyValue, fc.array(container, { maxLength: 3 })),
        volumes: anyValue,
        securityContext: anyValue,
        hostNetwork: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(spec, fc.constantFrom("Pod", "Deployment", "CronJob"), fc.boolean(), (s, kind, json) => {
        const object =
          kind === "Pod"
            ? { apiVersion: "v1", kind, spec: s }
            : kind === "Deployment"
              ? { apiVersion: "apps/v1", kind, spec: { template: { spec: s } } }
              : { apiVersion: "batch/v1", kind, spec: { jobTemplate: { spec: { template: { spec: s } } } } };
        const text = json ? JSON.stringify(object, null, 1) : dump(JSON.parse(JSON.stringify(object)));
        const r = ingest([{ file: "p", text }]);
        checkResult(text, r);
        expect(r.resources).toHaveLength(1);
        // A pod or an explanation, never both, never neither when the template is there.
        if (r.resources[0]!.pod) expect(r.errors).toEqual([]);
      }),
      { numRuns: 300, seed: 6 },
    );
  });
});
