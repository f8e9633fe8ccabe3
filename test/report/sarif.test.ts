import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import {
  buildSarif,
  FINGERPRINT_KEY,
  pascalCase,
  renderSarif,
  SARIF_MAX_RESULTS,
  SRCROOT,
} from "../../src/report/sarif.ts";
import { catalogOf } from "../../src/report/shared.ts";
import {
  cleanReport,
  finding,
  hostileReport,
  manifestReport,
  SCHEMAS_DIR,
  snapshotReport,
  summarize,
  TEST_CATALOG,
  TEST_CHECKS,
} from "./fixtures.ts";

const schema = JSON.parse(readFileSync(resolve(SCHEMAS_DIR, "sarif-schema-2.1.0.json"), "utf8"));
const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

// Minimal typed views of what the tests read.
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn: number };
    };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification: string }[];
}
interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: { "security-severity": string; tags: string[]; precision: string };
}
interface Run {
  tool: { driver: { name: string; version: string; informationUri: string; rules: Rule[] } };
  results: Result[];
  invocations: {
    executionSuccessful: boolean;
    toolExecutionNotifications?: { level: string; message: { text: string } }[];
  }[];
  originalUriBaseIds: Record<string, { uri?: string }>;
  columnKind: string;
}

function parse(text: string): { version: string; runs: Run[] } {
  return JSON.parse(text);
}

function expectValid(text: string): Run {
  const log = JSON.parse(text);
  const ok = validate(log);
  expect(ok ? [] : validate.errors).toEqual([]);
  return parse(text).runs[0]!;
}

describe("renderSarif", () => {
  it("validates against the SARIF 2.1.0 schema for every fixture", () => {
    for (const report of [manifestReport(), snapshotReport(), hostileReport(), cleanReport()]) {
      expectValid(renderSarif(report, TEST_CATALOG));
      expectValid(renderSarif(report, TEST_CATALOG, "file:///home/ci/repo"));
    }
  });

  it("uses a validator that does reject a region on line 0 (the harness is not vacuous)", () => {
    const log = JSON.parse(renderSarif(manifestReport(), TEST_CATALOG));
    expect(validate(log)).toBe(true);
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log)).toBe(false);
  });

  it("has one run with the driver and a rule for each check that has results", () => {
    const text = renderSarif(manifestReport(), TEST_CATALOG);
    const log = parse(text);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({
      name: "kubeguard",
      version: "0.1.0",
      informationUri: "https://kubeguard.dev",
    });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      "pss.privileged",
      "pss.run-as-non-root",
      "rbac.wildcard-verbs",
      "workload.latest-tag",
      "kubeguard.invalid-exemption",
      "future.unknown-check",
    ]);
    expect(run.columnKind).toBe("utf16CodeUnits");
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("describes each rule from the registry, with help repeating the remediation and a security-severity", () => {
    const run = parse(renderSarif(manifestReport(), TEST_CATALOG)).runs[0]!;
    const rule = run.tool.driver.rules.find((r) => r.id === "pss.privileged")!;
    expect(rule).toMatchObject({
      name: "PssPrivileged",
      shortDescription: { text: "Containers must not run privileged" },
      fullDescription: { text: TEST_CHECKS[0]!.description },
      helpUri: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "9.5", precision: "very-high" },
    });
    expect(rule.help.text).toContain("Remove securityContext.privileged or set it to false.");
    expect(rule.help.markdown).toContain("Remove securityContext.privileged or set it to false.");
    expect(rule.properties.tags).toEqual(["security", "pss", "pss-baseline", "pss-restricted", "cis"]);

    const levels = Object.fromEntries(
      run.tool.driver.rules.map((r) => [
        r.id,
        [r.defaultConfiguration.level, r.properties["security-severity"]],
      ]),
    );
    expect(levels).toMatchObject({
      "rbac.wildcard-verbs": ["error", "8.0"],
      "pss.run-as-non-root": ["warning", "5.5"],
      "workload.latest-tag": ["note", "3.0"],
      "kubeguard.invalid-exemption": ["note", "0.0"],
    });
    // A check unknown to the catalog is described from its finding, without a helpUri.
    const unknown = run.tool.driver.rules.find((r) => r.id === "future.unknown-check")!;
    expect(unknown.shortDescription.text).toBe("A check this catalog does not know");
    expect(unknown.helpUri).toBeUndefined();
  });

  it("points every result at its rule, line and column, with a fingerprint without lines", () => {
    const report = manifestReport();
    const run = parse(renderSarif(report, TEST_CATALOG)).runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    run.results.forEach((r, i) => {
      const f = report.findings[i]!;
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.ruleId).toBe(f.check);
      expect(r.message.text).toBe(f.message);
      expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: f.id });
      const loc = r.locations[0]!;
      expect(loc.physicalLocation.region).toEqual({
        startLine: f.location.line,
        startColumn: f.location.column,
      });
      expect(loc.physicalLocation.artifactLocation.uriBaseId).toBe(SRCROOT);
    });
    const privileged = run.results.find((r) => r.ruleId === "pss.privileged")!;
    expect(privileged.level).toBe("error");
    expect(privileged.locations[0]!.logicalLocations).toEqual([
      { name: "web", fullyQualifiedName: "Deployment/default/web", kind: "resource" },
    ]);
  });

  it("makes URIs repository-relative: ./ stripped, spaces encoded, <stdin> as stdin", () => {
    const run = parse(renderSarif(manifestReport(), TEST_CATALOG)).runs[0]!;
    const uris = new Set(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(["k8s/legacy.yaml", "k8s/my%20app/pod.yaml", "k8s/web.yaml", "stdin"]);
  });

  it("records the base URI as %SRCROOT% and relativizes absolute paths under it", () => {
    const report = manifestReport();
    report.findings[0]!.location.file = "/home/ci/repo/k8s/web.yaml";
    report.findings[1]!.location.file = "/elsewhere/x.yaml";
    report.findings[2]!.location.file = "C:\\work\\repo\\k8s\\win.yaml";
    const run = parse(renderSarif(report, TEST_CATALOG, "file:///home/ci/repo")).runs[0]!;
    expect(run.originalUriBaseIds[SRCROOT]).toEqual({ uri: "file:///home/ci/repo/" });
    const art = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(art[0]).toEqual({ uri: "k8s/web.yaml", uriBaseId: SRCROOT });
    expect(art[1]).toEqual({ uri: "file:///elsewhere/x.yaml" });
    expect(art[2]).toEqual({ uri: "file:///C:/work/repo/k8s/win.yaml" });
  });

  it("marks suppressed findings: annotation as inSource, config as external, with the reason", () => {
    const run = parse(renderSarif(manifestReport(), TEST_CATALOG)).runs[0]!;
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.suppressions)).toEqual([
      [
        {
          kind: "inSource",
          status: "accepted",
          justification: "legacy image runs as root (until 2030-01-01)",
        },
      ],
      [{ kind: "external", status: "accepted", justification: "cluster operators' break-glass role" }],
    ]);
  });

  it("reports ingest errors and warnings as tool execution notifications of a successful run", () => {
    const run = parse(renderSarif(manifestReport(), TEST_CATALOG)).runs[0]!;
    const inv = run.invocations[0]!;
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: "error",
        message: { text: "bad indentation of a mapping entry" },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "k8s/broken.yaml", uriBaseId: SRCROOT },
              region: { startLine: 3, startColumn: 7 },
            },
          },
        ],
      }),
      expect.objectContaining({ level: "warning" }),
    ]);
  });

  it("gives file-less snapshot findings a stable resource URI and never a region on line 0", () => {
    const report = snapshotReport();
    report.findings[0]!.location.line = 0;
    report.findings[0]!.location.column = 0;
    const run = expectValid(renderSarif(report, TEST_CATALOG));
    const locs = run.results.map((r) => r.locations[0]!.physicalLocation);
    expect(locs.map((l) => l.artifactLocation.uri)).toEqual([
      "kubernetes/kube-system/Pod/node-agent",
      "kubernetes/_cluster/Namespace/payments",
    ]);
    for (const l of locs) {
      expect(l.region.startLine).toBeGreaterThanOrEqual(1);
      expect(l.region.startColumn).toBeGreaterThanOrEqual(1);
    }
  });

  it("resolves aliases to one rule", () => {
    const report = summarize({
      ...manifestReport(),
      findings: [finding({ check: "pss.non-root", severity: "medium" })],
    });
    const run = parse(renderSarif(report, TEST_CATALOG)).runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["pss.run-as-non-root"]);
    expect(run.results[0]).toMatchObject({ ruleId: "pss.run-as-non-root", ruleIndex: 0 });
  });

  it("keeps a clean scan valid with no rules and no results", () => {
    const run = expectValid(renderSarif(cleanReport(), TEST_CATALOG));
    expect(run.tool.driver.rules).toEqual([]);
    expect(run.results).toEqual([]);
  });

  it("caps results at GitHub's limit, keeping the worst and saying so", () => {
    const report = manifestReport();
    const extra = Array.from({ length: SARIF_MAX_RESULTS }, (_, i) =>
      finding({ check: "workload.latest-tag", severity: "low", message: `low ${i}` }),
    );
    const big = summarize({ ...report, findings: [...extra, ...report.findings] });
    const sarif = buildSarif(big, catalogOf(TEST_CHECKS)) as unknown as { runs: Run[] };
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS);
    for (const level of ["critical", "high"]) {
      const kept = run.results.filter(
        (r) => r.ruleId === (level === "critical" ? "pss.privileged" : "rbac.wildcard-verbs"),
      );
      expect(kept.length).toBeGreaterThan(0);
    }
    const notes = run.invocations[0]!.toolExecutionNotifications!;
    expect(notes.at(-1)!.message.text).toMatch(/^8 lower-severity results were left out/);
  });

  it("names rules in PascalCase", () => {
    expect(pascalCase("pss.privileged")).toBe("PssPrivileged");
    expect(pascalCase("rbac.wildcard-verbs")).toBe("RbacWildcardVerbs");
    expect(pascalCase("pss.capabilities_restricted")).toBe("PssCapabilitiesRestricted");
  });
});
