import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ingest } from "./index.ts";
import type { IngestError, Resource } from "./types.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** 1-based line and column of the first occurrence of `needle` in `text` (after `from`, if given). */
function pos(text: string, needle: string, from?: string): { line: number; column: number } {
  const start = from === undefined ? 0 : text.indexOf(from);
  const i = text.indexOf(needle, start);
  if (start < 0 || i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i);
  const line = before.split("\n").length;
  return { line, column: i - before.lastIndexOf("\n") };
}

function one(text: string, file = "m.yaml"): Resource {
  const r = ingest([{ file, text }]);
  expect(r.errors).toEqual([]);
  expect(r.resources).toHaveLength(1);
  return r.resources[0]!;
}

function errorsOf(text: string, limits = {}): IngestError[] {
  return ingest([{ file: "bad.yaml", text }], limits).errors;
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
  - name: "side"
    image: busybox
`;

describe("multi-document YAML", () => {
  it("skips empty and comment-only documents but counts them", () => {
    const text = `# leading comment
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
---
# only a comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
...
`;
    const r = ingest([{ file: "m.yaml", text }]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.name, x.source.document, x.source.line, x.source.column])).toEqual([
      ["a", 0, 3, 1],
      ["b", 3, 10, 1],
    ]);
  });

  it("treats content before the first marker as a document of its own", () => {
    const r = ingest([{ file: "m.yaml", text: "apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n" }]);
    expect(r.resources.map((x) => [x.kind, x.source.document, x.source.line])).toEqual([
      ["A", 0, 1],
      ["B", 1, 4],
    ]);
  });

  it("reads helm template output with Source comments", () => {
    const text = ["deployment.yaml", "service.yaml", "configmap.yaml", "cronjob.yaml"]
      .map((f) => `---\n# Source: chart/templates/${f}\n${fixture(f)}`)
      .join("");
    const r = ingest([{ file: "out.yaml", text }]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => `${x.kind}/${x.name}@${x.source.line}`)).toEqual([
      "Deployment/web@3",
      `Service/web@${pos(text, "apiVersion: v1").line}`,
      `ConfigMap/app@${pos(text, "apiVersion: v1\ndata").line}`,
      `CronJob/backup@${pos(text, "apiVersion: batch/v1").line}`,
    ]);
  });

  it("keeps document markers with content on the same line", () => {
    const r = ingest([
      { file: "m.yaml", text: "--- {apiVersion: v1, kind: A}\n--- # c\napiVersion: v1\nkind: B\n" },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.kind, x.source.line, x.source.column])).toEqual([
      ["A", 1, 5],
      ["B", 3, 1],
    ]);
  });

  it("gives directives to the document they precede", () => {
    const r = ingest([
      {
        file: "m.yaml",
        text: "%YAML 1.2\n---\napiVersion: v1\nkind: A\n...\n%YAML 1.2\n---\napiVersion: v1\nkind: B\n",
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.kind, x.source.document, x.source.line])).toEqual([
      ["A", 0, 3],
      ["B", 1, 8],
    ]);
  });

  it("reads CRLF line endings and a byte order mark", () => {
    const r = ingest([
      { file: "m.yaml", text: "\uFEFFapiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: w\r\n" },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.resources[0]!.name).toBe("w");
    expect(r.resources[0]!.locate(["metadata", "name"])).toEqual({ line: 4, column: 3 });
  });

  it("reads Kubernetes scalars the way kubectl does (YAML 1.1 booleans, octal, merge keys)", () => {
    const res = one(`apiVersion: v1
kind: ConfigMap
metadata:
  name: x
defaults: &d
  mode: 0644
  on: yes
data:
  <<: *d
  created: 2001-12-14
  count: 1_000
  n: x
`);
    expect(res.object.data).toEqual({
      mode: 420,
      true: true,
      created: "2001-12-14",
      count: 1000,
      false: "x",
    });
  });
});

describe("resources", () => {
  it("takes identity from metadata", () => {
    const r = one(POD);
    expect(r).toMatchObject({ apiVersion: "v1", kind: "Pod", name: "web", namespace: "shop", docPath: [] });
    expect(r.source).toEqual({ file: "m.yaml", document: 0, line: 1, column: 1 });
  });

  it("uses generateName, or the empty string, and leaves namespace absent when unset", () => {
    const a = one("apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\n");
    expect(a.name).toBe("web-");
    expect("namespace" in a).toBe(false);
    expect(one("apiVersion: v1\nkind: Namespace\n").name).toBe("");
  });
});

describe("positions", () => {
  it("finds keys in block YAML", () => {
    const r = one(POD);
    expect(r.locate(["spec", "containers", 0, "securityContext", "privileged"])).toEqual(
      pos(POD, "privileged"),
    );
    expect(
      r.locate(["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/app"]),
    ).toEqual(pos(POD, "container.apparmor"));
    expect(r.locate(["spec", "containers", 1])).toEqual(pos(POD, 'name: "side"'));
    expect(r.locate(["spec", "containers", 1, "name"])).toEqual(pos(POD, 'name: "side"'));
    expect(r.locate(["spec", "containers", 1, "image"])).toEqual(pos(POD, "image: busybox"));
    expect(r.locate([])).toEqual({ line: 1, column: 1 });
  });

  it("falls back to the nearest existing parent", () => {
    const r = one(POD);
    expect(r.locate(["spec", "containers", 1, "securityContext", "runAsNonRoot"])).toEqual(
      pos(POD, 'name: "side"'),
    );
    expect(r.locate(["spec", "containers", 7])).toEqual(pos(POD, "containers"));
    expect(r.locate(["spec", "hostNetwork"])).toEqual(pos(POD, "spec:"));
    expect(r.locate(["nothing", "here"])).toEqual({ line: 1, column: 1 });
    expect(r.locate(["spec", "containers", 0, "image", "deeper"])).toEqual(pos(POD, "image"));
  });

  it("finds keys in flow YAML", () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {"app": web}}
spec:
  containers: [{name: app, securityContext: {privileged: true, capabilities: {add: [NET_ADMIN, 'SYS_ADMIN']}}}]
`;
    const r = one(text);
    expect(r.locate(["metadata", "labels", "app"])).toEqual(pos(text, '"app"'));
    expect(r.locate(["spec", "containers", 0])).toEqual(pos(text, "{name: app"));
    expect(r.locate(["spec", "containers", 0, "securityContext", "privileged"])).toEqual(
      pos(text, "privileged"),
    );
    expect(r.locate(["spec", "containers", 0, "securityContext", "capabilities", "add", 1])).toEqual(
      pos(text, "'SYS_ADMIN'"),
    );
    expect(r.locate(["spec", "containers", 0, "securityContext", "runAsUser"])).toEqual(
      pos(text, "securityContext"),
    );
  });

  it("finds keys in JSON", () => {
    const text = fixture("deployment.json");
    const r = one(text, "d.json");
    expect(r.source).toMatchObject({ line: 1, column: 1 });
    expect(r.locate(["spec", "template", "spec", "containers", 0, "image"])).toEqual(pos(text, '"image"'));
    expect(r.locate(["spec", "template", "spec", "containers", 0])).toEqual(pos(text, "{", '"containers"'));
    expect(r.locate(["spec", "template", "spec", "containers", 0, "securityContext"])).toEqual(
      pos(text, "{", '"containers"'),
    );
  });

  it("finds keys in single-line JSON (a captured snapshot)", () => {
    const text = JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "x" },
      spec: { hostPID: true },
    });
    const r = one(text, "s.json");
    expect(r.locate(["spec", "hostPID"])).toEqual({ line: 1, column: text.indexOf('"hostPID"') + 1 });
  });

  it("is exact on a kubectl deployment fixture", () => {
    const text = fixture("deployment.yaml");
    const r = one(text);
    expect(r.locate(["spec", "template", "spec", "containers", 0, "image"])).toEqual(pos(text, "image:"));
    expect(r.locate(["spec", "template", "metadata", "labels", "app"])).toEqual(
      pos(text, "app: web", "template"),
    );
    expect(r.locate(["spec", "strategy", "type"])).toEqual(pos(text, "strategy"));
  });

  it("answers through the yaml package when the text is beyond the fast indexer", () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: x
spec:
  ? containers
  : - name: a
      securityContext:
        privileged: true
`;
    const r = one(text);
    expect(r.locate(["spec", "containers", 0, "securityContext", "privileged"])).toEqual(
      pos(text, "privileged"),
    );
  });
});

describe("JSON arrays and Lists", () => {
  it("reads a JSON array of objects as one document", () => {
    const text = `[
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v"}}
]`;
    const r = ingest([{ file: "a.json", text }]);
    expect(r.errors).toEqual([]);
    expect(
      r.resources.map((x) => [x.name, x.source.document, x.docPath, x.source.line, x.source.column]),
    ).toEqual([
      ["a", 0, [0], 2, 3],
      ["b", 0, [1], 3, 3],
    ]);
    expect(r.resources[1]!.locate(["data", "k"])).toEqual(pos(text, '"k"'));
  });

  it("reads kubectl get -o json output", () => {
    const text = fixture("list.json");
    const r = ingest([{ file: "l.json", text }]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.kind, x.name, x.docPath])).toEqual([
      ["Deployment", "api", ["items", 0]],
      ["Service", "api", ["items", 1]],
      ["ConfigMap", "api", ["items", 2]],
    ]);
    const svc = r.resources[1]!;
    expect(svc.source).toMatchObject(
      pos(text, "{", '"kind": "Service"') && { line: pos(text, '"kind": "Service"').line - 1 },
    );
    expect(svc.locate(["spec", "ports", 0, "port"])).toEqual(pos(text, '"port"', '"kind": "Service"'));
  });

  it("reads kubectl get -o yaml output", () => {
    const text = fixture("list.yaml");
    const r = ingest([{ file: "l.yaml", text }]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.kind, x.source.line, x.source.column])).toEqual([
      ["Deployment", 3, 3],
      ["Service", pos(text, "apiVersion: v1\n  kind: Service").line, 3],
      ["ConfigMap", pos(text, "apiVersion: v1\n  data").line, 3],
    ]);
    const dep = r.resources[0]!;
    expect(dep.locate(["spec", "template", "spec", "containers", 0, "image"])).toEqual(pos(text, "image:"));
    expect(dep.pod?.path).toEqual(["spec", "template"]);
  });

  it("reads nested Lists and typed lists whose items carry no kind", () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: List
  items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: inner}
- apiVersion: v1
  kind: PodList
  items:
  - metadata: {name: p}
    spec:
      hostNetwork: true
`;
    const r = ingest([{ file: "n.yaml", text }]);
    expect(r.errors).toEqual([]);
    expect(r.resources.map((x) => [x.apiVersion, x.kind, x.name, x.docPath])).toEqual([
      ["v1", "ConfigMap", "inner", ["items", 0, "items", 0]],
      ["v1", "Pod", "p", ["items", 1, "items", 0]],
    ]);
    expect(r.resources[0]!.source).toMatchObject(pos(text, "apiVersion: v1\n    kind: ConfigMap"));
    expect(r.resources[1]!.locate(["spec", "hostNetwork"])).toEqual(pos(text, "hostNetwork"));
    expect(r.resources[1]!.pod?.spec).toEqual({ hostNetwork: true });
  });

  it("reads an empty List", () => {
    expect(ingest([{ file: "e.yaml", text: "apiVersion: v1\nkind: List\nitems: []\n" }])).toEqual({
      resources: [],
      errors: [],
    });
  });
});

describe("ClusterSnapshot", () => {
  it("yields its items and its metadata", () => {
    const snap = {
      apiVersion: "kubeguard.dev/v1",
      kind: "ClusterSnapshot",
      metadata: {
        cluster: "prod",
        capturedAt: "2026-01-01T00:00:00Z",
        serverVersion: "v1.31.2",
        provider: "eks",
        warnings: ["no access to secrets"],
      },
      items: [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
        {
          apiVersion: "v1",
          kind: "PodList",
          items: [{ metadata: { name: "p", namespace: "a" }, spec: { containers: [] } }],
        },
      ],
    };
    const r = ingest([{ file: "cluster:prod", text: JSON.stringify(snap, null, 2) }]);
    expect(r.errors).toEqual([]);
    expect(r.snapshot).toEqual(snap.metadata);
    expect(r.resources.map((x) => `${x.kind}/${x.name}`)).toEqual(["Namespace/a", "Pod/p"]);
    expect(r.resources[1]!.pod).toBeDefined();
  });

  it("reports metadata of the wrong type and keeps the rest", () => {
    const r = ingest([
      {
        file: "s.yaml",
        text: "apiVersion: kubeguard.dev/v1\nkind: ClusterSnapshot\nmetadata:\n  cluster: 5\n  provider: gke\nitems: []\n",
      },
    ]);
    expect(r.snapshot).toEqual({ provider: "gke" });
    expect(r.errors).toEqual([
      {
        file: "s.yaml",
        document: 0,
        line: 4,
        column: 3,
        path: "metadata.cluster",
        message: "metadata.cluster: expected a string",
      },
    ]);
  });
});

describe("errors", () => {
  it("reports a document that does not parse, with the parser's position, and reads the others", () => {
    const text = "apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: [B\n---\napiVersion: v1\nkind: C\n";
    const r = ingest([{ file: "m.yaml", text }]);
    expect(r.resources.map((x) => x.kind)).toEqual(["A", "C"]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: "m.yaml", document: 1 });
    expect(r.errors[0]!.line).toBeGreaterThanOrEqual(5);
    expect(r.errors[0]!.message).toMatch(/^invalid YAML: /);
  });

  it("reports bad indentation at its line", () => {
    const e = errorsOf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: x\n");
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ document: 0, line: 5 });
  });

  it("reports duplicate keys", () => {
    const e = errorsOf("apiVersion: v1\nkind: Pod\nspec:\n  hostPID: false\n  hostPID: true\n");
    expect(e[0]).toMatchObject({ document: 0, line: 5, message: "invalid YAML: duplicated mapping key" });
  });

  it("reports documents that are not mappings", () => {
    const e = errorsOf("just a string\n---\n- a\n- b\n---\n42\n");
    expect(e.map((x) => [x.document, x.line, x.column, x.message])).toEqual([
      [0, 1, 1, "document is not a mapping (got a string); expected a Kubernetes object"],
      [1, 3, 1, "document is not a mapping (got a list); expected a Kubernetes object"],
      [2, 6, 1, "document is not a mapping (got an integer); expected a Kubernetes object"],
    ]);
  });

  it("reports missing or wrong-typed apiVersion and kind", () => {
    const e = errorsOf(
      "kind: Pod\n---\napiVersion: v1\nmetadata: {}\n---\napiVersion: 1\nkind: Pod\n---\napiVersion: v1\nkind: [Pod]\n",
    );
    expect(e.map((x) => [x.document, x.line, x.column, x.message])).toEqual([
      [0, 1, 1, "document has no apiVersion"],
      [1, 3, 1, "document has no kind"],
      [2, 6, 1, "apiVersion: expected a string, got an integer"],
      [3, 10, 1, "kind: expected a string, got a list"],
    ]);
  });

  it("reports bad List items with their path and position", () => {
    const text =
      '{"apiVersion": "v1", "kind": "List", "items": [\n  {"apiVersion": "v1", "kind": "A"},\n  "oops",\n  {"kind": "B"}\n]}';
    const r = ingest([{ file: "l.json", text }]);
    expect(r.resources.map((x) => x.kind)).toEqual(["A"]);
    expect(r.errors).toEqual([
      {
        file: "l.json",
        document: 0,
        line: 3,
        column: 3,
        path: "items[1]",
        message: "items[1] is not a mapping (got a string); expected a Kubernetes object",
      },
      {
        file: "l.json",
        document: 0,
        line: 4,
        column: 3,
        path: "items[2]",
        message: "items[2] has no apiVersion",
      },
    ]);
  });

  it("reports a JSON array element that is not an object", () => {
    const r = ingest([{ file: "a.json", text: '[{"apiVersion":"v1","kind":"A"}, 3]' }]);
    expect(r.errors).toEqual([
      {
        file: "a.json",
        document: 0,
        line: 1,
        column: 34,
        path: "[1]",
        message: "[1] is not a mapping (got an integer); expected a Kubernetes object",
      },
    ]);
  });

  it("reports bad metadata and drops that resource", () => {
    const e = errorsOf(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a]\n---\napiVersion: v1\nkind: Pod\nmetadata: x\n",
    );
    expect(e.map((x) => [x.document, x.line, x.path, x.message])).toEqual([
      [0, 4, "metadata.name", "metadata.name: expected a string, got a list"],
      [1, 8, "metadata", "metadata: expected a mapping, got a string"],
    ]);
  });

  it("falls back to YAML for invalid JSON and reports its position", () => {
    const r = ingest([
      {
        file: "x.json",
        text: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "a",}\n  oops\n}',
      },
    ]);
    expect(r.resources).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBeGreaterThanOrEqual(4);
  });

  it("never throws on input that is not text", () => {
    const r = ingest([{ file: "x", text: 5 as unknown as string }]);
    expect(r.errors).toEqual([{ file: "x", line: 1, column: 1, message: "input is not text" }]);
  });
});

describe("bounds", () => {
  it("refuses an input larger than maxBytes without reading it", () => {
    const r = ingest(
      [{ file: "big.yaml", text: `apiVersion: v1\nkind: ConfigMap\ndata:\n  x: "${"a".repeat(2000)}"\n` }],
      { maxBytes: 1000 },
    );
    expect(r.resources).toEqual([]);
    expect(r.errors).toEqual([
      {
        file: "big.yaml",
        line: 1,
        column: 1,
        message: "input is larger than 1000 bytes; it is not read (limit maxBytes)",
      },
    ]);
  });

  it("counts bytes as UTF-8", () => {
    const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n  x: "${"é".repeat(600)}"\n`;
    expect(text.length).toBeLessThan(1000);
    expect(ingest([{ file: "u.yaml", text }], { maxBytes: 1000 }).errors).toHaveLength(1);
    expect(ingest([{ file: "u.yaml", text }], { maxBytes: 1000 }).errors).toHaveLength(1);
    expect(ingest([{ file: "u.yaml", text }], { maxBytes: 2000 }).errors).toHaveLength(0);
  });

  it("reads at most maxDocuments documents", () => {
    const text = "apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n---\napiVersion: v1\nkind: C\n";
    const r = ingest([{ file: "m.yaml", text }], { maxDocuments: 2 });
    expect(r.resources.map((x) => x.kind)).toEqual(["A", "B"]);
    expect(r.errors).toEqual([
      {
        file: "m.yaml",
        line: 6,
        column: 1,
        message: "more than 2 documents in this input; the rest are not read (limit maxDocuments)",
      },
    ]);
  });

  it("refuses a billion-laughs document without expanding it", () => {
    const levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n";
    text += `  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    for (let i = 1; i < levels.length; i++) {
      const prev = levels[i - 1];
      text += `  ${levels[i]}: &${levels[i]} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    }
    const r = ingest([
      { file: "lol.yaml", text },
      { file: "ok.yaml", text: "apiVersion: v1\nkind: A\n" },
    ]);
    expect(r.resources.map((x) => x.kind)).toEqual(["A"]);
    expect(r.errors).toHaveLength(1);
    // b holds 9 aliases, c 9 × (1 + 9) = 90: the first alias of d crosses 100.
    expect(r.errors[0]).toMatchObject({ file: "lol.yaml", document: 0, line: 8 });
    expect(r.errors[0]!.message).toBe(
      "document resolves more than 100 aliases once expanded (limit maxAliases)",
    );
  });

  it("allows a few aliases and counts them expanded", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nx: &x [1, 2]\ny: &y [*x, *x]\nz: [*y, *y]\n";
    // y resolves 2 aliases; z resolves 2, each standing for y's 2: 2 + 2 × (1 + 2) = 8.
    expect(ingest([{ file: "a.yaml", text }], { maxAliases: 8 }).errors).toEqual([]);
    expect(ingest([{ file: "a.yaml", text }], { maxAliases: 7 }).errors[0]?.message).toMatch(/maxAliases/);
    expect(ingest([{ file: "a.yaml", text }], { maxAliases: 0 }).errors[0]?.message).toMatch(/maxAliases/);
  });

  it("refuses recursive aliases", () => {
    const e = errorsOf("apiVersion: v1\nkind: A\nx: &x [*x]\n");
    expect(e[0]!.message).toMatch(/refers to its own anchor/);
  });

  it("refuses __proto__ through merge keys", () => {
    const e = errorsOf(
      'apiVersion: v1\nkind: A\nbase: &b {"__proto__": {polluted: true}}\nspec:\n  <<: *b\n',
    );
    expect(e[0]!.message).toMatch(/__proto__/);
  });

  it("refuses nesting deeper than maxDepth, in YAML and in JSON", () => {
    const deepYaml = `apiVersion: v1\nkind: A\nx: ${"[".repeat(100)}${"]".repeat(100)}\n`;
    const e = errorsOf(deepYaml);
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toBe("document nests deeper than 64 levels (limit maxDepth)");
    expect(e[0]!.line).toBe(3);
    const deepJson = `{"apiVersion": "v1", "kind": "A", "x": ${"[".repeat(100)}1${"]".repeat(100)}}`;
    const j = ingest([{ file: "d.json", text: deepJson }]).errors;
    expect(j).toHaveLength(1);
    expect(j[0]!.message).toBe("document nests deeper than 64 levels (limit maxDepth)");
    expect(ingest([{ file: "d.json", text: deepJson }], { maxDepth: 200 }).errors).toEqual([]);
    const blocks = `apiVersion: v1\nkind: A\n${Array.from({ length: 70 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n")} 1\n`;
    expect(errorsOf(blocks)[0]!.message).toMatch(/maxDepth/);
  });

  it("applies the same depth rule to YAML and JSON", () => {
    const nest = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    for (const n of [61, 62, 63, 64, 65]) {
      const flow = errorsOf(`{"apiVersion": "v1", "kind": "A", "x": ${nest(n)}}\n# yaml`);
      const block = errorsOf(`apiVersion: v1\nkind: A\nx: ${nest(n)}\n`);
      const json = ingest([
        { file: "d.json", text: `{"apiVersion": "v1", "kind": "A", "x": ${nest(n)}}` },
      ]).errors;
      expect(flow.map((e) => e.message)).toEqual(json.map((e) => e.message));
      expect(block.map((e) => e.message)).toEqual(json.map((e) => e.message));
      expect(json.length).toBe(n >= 65 ? 1 : 0);
    }
  });

  it("lists at most maxErrors problems per input", () => {
    const text = JSON.stringify(Array.from({ length: 50 }, () => ({})));
    const r = ingest([{ file: "many.json", text }], { maxErrors: 10 });
    expect(r.errors).toHaveLength(11);
    expect(r.errors[10]!.message).toBe(
      "more than 10 problems in this input; the rest are not listed (limit maxErrors)",
    );
  });
});
