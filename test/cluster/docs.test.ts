/**
 * The documents that ship with snapshots and CI stay honest: the reader ClusterRole grants `list` on
 * exactly the kinds a snapshot reads and kubeguard flags nothing in it but the waived Secrets read;
 * the pipeline templates parse and use the flags and report paths they promise; docs/snapshot.md
 * names every kind.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { SNAPSHOT_KINDS } from "../../src/cluster/resources.ts";
import { scanInputs } from "../../src/scan/run.ts";
import { ROOT } from "./helpers.ts";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

describe("docs/rbac/kubeguard-reader.yaml", () => {
  const text = read("docs/rbac/kubeguard-reader.yaml");
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);

  it("grants list, and only list, on exactly the kinds a snapshot reads", () => {
    const role = docs.find((d) => d.kind === "ClusterRole") as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const granted = new Set<string>();
    for (const rule of role.rules) {
      expect(rule.verbs).toEqual(["list"]);
      for (const g of rule.apiGroups) for (const r of rule.resources) granted.add(`${g}/${r}`);
    }
    const needed = new Set(SNAPSHOT_KINDS.map((k) => `${k.group}/${k.plural}`));
    expect([...granted].sort()).toEqual([...needed].sort());
  });

  it("binds the role to the kubeguard-reader ServiceAccount", () => {
    const binding = docs.find((d) => d.kind === "ClusterRoleBinding") as Record<string, unknown>;
    expect(binding.roleRef).toMatchObject({ kind: "ClusterRole", name: "kubeguard-reader" });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "kubeguard-reader", namespace: "kubeguard" },
    ]);
    expect(docs.some((d) => d.kind === "ServiceAccount")).toBe(true);
  });

  it("gives kubeguard's own checks nothing to report but the waived Secrets read", () => {
    const report = scanInputs({ inputs: [{ file: "docs/rbac/kubeguard-reader.yaml", text }] });
    expect(report.errors).toEqual([]);
    const unsuppressed = report.findings.filter((f) => !f.suppressed);
    expect(unsuppressed.map((f) => `${f.check} ${f.message}`)).toEqual([]);
    const waived = report.findings.filter((f) => f.suppressed);
    expect(waived.map((f) => f.check)).toEqual(["rbac.secrets-read"]);
    expect(waived[0]?.suppression?.reason).toMatch(/PartialObjectMetadataList/);
  });
});

describe("docs/ci", () => {
  it("github-actions.yml scans to SARIF, uploads it with security-events: write, and has a --server variant", () => {
    const wf = parse(read("docs/ci/github-actions.yml")) as {
      jobs: Record<
        string,
        {
          permissions: Record<string, string>;
          steps: { uses?: string; run?: string; with?: Record<string, string> }[];
          env?: Record<string, string>;
        }
      >;
    };
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions["security-events"]).toBe("write");
      const runs = job.steps.map((s) => s.run ?? "").join("\n");
      expect(runs).toMatch(
        /npx --yes --package "\$KUBEGUARD_PACKAGE" kubeguard scan .*--format sarif --output kubeguard\.sarif/s,
      );
      expect(runs).toMatch(/kubectl kustomize|helm template/);
      const upload = job.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
      expect(upload?.with?.sarif_file).toBe("kubeguard.sarif");
    }
    const remote = wf.jobs["scan-remote"];
    expect(remote?.env?.KUBEGUARD_API_KEY).toMatch(/^\$\{\{ secrets\.KUBEGUARD_API_KEY \}\}$/);
    expect(remote?.steps.map((s) => s.run ?? "").join("\n")).toContain("--server");
  });

  it("gitlab-ci.yml publishes the JUnit report", () => {
    const ci = parse(read("docs/ci/gitlab-ci.yml")) as Record<
      string,
      { script?: string[]; artifacts?: Record<string, unknown> }
    >;
    const job = ci.kubeguard;
    expect(job?.script?.join("\n")).toContain("--format junit --output kubeguard.xml");
    expect(job?.artifacts).toMatchObject({ when: "always", reports: { junit: "kubeguard.xml" } });
  });

  it("curl.md posts YAML with --data-binary, reads the verdict and fetches SARIF", () => {
    const md = read("docs/ci/curl.md");
    expect(md).toContain("--data-binary @manifests.yaml");
    expect(md).toContain("-H 'Content-Type: application/yaml'");
    expect(md).toContain("jq -r .verdict.passed");
    expect(md).toContain("/report?format=sarif");
  });
});

describe("docs/snapshot.md", () => {
  it("names every kind a snapshot lists", () => {
    const md = read("docs/snapshot.md");
    for (const k of SNAPSHOT_KINDS) expect(md, k.kind).toContain(k.kind);
  });
});
