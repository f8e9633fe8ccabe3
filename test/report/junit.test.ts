import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { junitTimestamp, renderJunit, xmlAttr, xmlText } from "../../src/report/junit.ts";
import {
  cleanReport,
  HOSTILE,
  hostileReport,
  manifestReport,
  SCHEMAS_DIR,
  snapshotReport,
  TEST_CATALOG,
} from "./fixtures.ts";

const xsd = readFileSync(resolve(SCHEMAS_DIR, "junit.xsd"), "utf8");

async function validity(contents: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: "r.xml", contents }],
    schema: [{ fileName: "junit.xsd", contents: xsd }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

async function expectValid(contents: string): Promise<void> {
  expect(await validity(contents)).toEqual({ valid: true, errors: [] });
}

const OPTS = { timestamp: "2025-01-02T03:04:05.678Z", hostname: "ci-runner" };

/** The testsuite elements' opening tags, by name. */
function suites(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<testsuite name="([^"]+)"[^>]*>/g)) out.set(m[1]!, m[0]);
  return out;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

describe("renderJunit", () => {
  it("is valid against the strict Ant JUnit schema for every fixture", async () => {
    for (const report of [manifestReport(), snapshotReport(), hostileReport(), cleanReport()]) {
      await expectValid(renderJunit(report, TEST_CATALOG, OPTS));
    }
    await expectValid(renderJunit(manifestReport(), TEST_CATALOG));
  });

  it("uses a validator that does reject a document the schema forbids (the harness is not vacuous)", async () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    expect((await validity(xml.replace(/ hostname="[^"]*"/, ""))).valid).toBe(false);
    expect((await validity(xml.replace("<properties>", "<properties><bogus/>"))).valid).toBe(false);
  });

  it("has a kubeguard suite, then one suite per evaluated check with ids from 0", () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    const s = suites(xml);
    expect([...s.keys()]).toEqual([
      "kubeguard",
      "pss.privileged",
      "pss.run-as-non-root",
      "rbac.wildcard-verbs",
      "workload.latest-tag",
      "network.default-deny",
      "kubeguard.invalid-exemption",
      "future.unknown-check",
    ]);
    expect([...s.values()].map((t) => attr(t, "id"))).toEqual(["0", "1", "2", "3", "4", "5", "6", "7"]);
    const first = s.get("pss.privileged")!;
    expect(attr(first, "package")).toBe("pss");
    expect(attr(first, "timestamp")).toBe("2025-01-02T03:04:05");
    expect(attr(first, "hostname")).toBe("ci-runner");
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')).toBe(true);
  });

  it("leaves out PSS checks above the scan's level", () => {
    const s = suites(renderJunit(snapshotReport(), TEST_CATALOG, OPTS));
    expect(s.has("pss.privileged")).toBe(true);
    expect(s.has("pss.run-as-non-root")).toBe(false);
  });

  it("fails a testcase per (check, resource) with the finding's message, severity and file:line", () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    const privileged = suites(xml).get("pss.privileged")!;
    expect([attr(privileged, "tests"), attr(privileged, "failures"), attr(privileged, "errors")]).toEqual([
      "1",
      "1",
      "0",
    ]);
    expect(xml).toContain(
      '<testcase name="Deployment/default/web (k8s/web.yaml)" classname="pss.privileged" time="0">\n' +
        '      <failure message="Deployment &quot;web&quot;: container &quot;app&quot; must not set securityContext.privileged=true" type="critical">' +
        "k8s/web.yaml:21:13 spec.template.spec.containers[0].securityContext.privileged\n",
    );
    expect(xml).toContain("Remediation: Remove securityContext.privileged or set it to false.</failure>");
  });

  it("skips a testcase whose findings are all suppressed, and notes the suppression", () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    const nonRoot = suites(xml).get("pss.run-as-non-root")!;
    // Pod/debug fails; Deployment/web's only finding is suppressed by annotation.
    expect([attr(nonRoot, "tests"), attr(nonRoot, "failures"), attr(nonRoot, "skipped")]).toEqual([
      "2",
      "1",
      "1",
    ]);
    expect(xml).toContain(
      '<testcase name="Deployment/default/web (k8s/web.yaml)" classname="pss.run-as-non-root" time="0">\n' +
        '      <skipped message="suppressed by annotation: legacy image runs as root (until 2030-01-01)"/>',
    );
    expect(xml).toContain("Deployment/default/web at k8s/web.yaml:20:11: suppressed by annotation");
  });

  it("groups several findings of a check on one resource into one failure that lists them all", () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    const rbac = suites(xml).get("rbac.wildcard-verbs")!;
    expect([attr(rbac, "tests"), attr(rbac, "failures")]).toEqual(["1", "1"]);
    expect(xml).toContain("&lt;stdin&gt;:8:5 rules[0].verbs");
    expect(xml).toContain("&lt;stdin&gt;:12:5 rules[1].verbs");
    expect(xml).toContain("(suppressed by config: cluster operators' break-glass role)");
  });

  it("passes a check without findings with one testcase", () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    const net = suites(xml).get("network.default-deny")!;
    expect([attr(net, "tests"), attr(net, "failures")]).toEqual(["1", "0"]);
    expect(xml).toContain(
      '<testcase name="no findings in 4 resources" classname="network.default-deny" time="0"/>',
    );
  });

  it("reports ingest errors as errored testcases of the kubeguard suite, with the scan's properties", () => {
    const xml = renderJunit(manifestReport(), TEST_CATALOG, OPTS);
    const scan = suites(xml).get("kubeguard")!;
    expect([attr(scan, "tests"), attr(scan, "errors")]).toEqual(["1", "1"]);
    expect(xml).toContain(
      '<testcase name="k8s/broken.yaml:3:7" classname="kubeguard.ingest" time="0">\n' +
        '      <error message="bad indentation of a mapping entry" type="ingest">',
    );
    expect(xml).toContain('<property name="verdict" value="failed"/>');
    expect(xml).toContain('<property name="failOn" value="high"/>');
    expect(xml).toMatch(
      /<system-out>kubeguard 0\.1\.0: 6 findings \(1 critical, 1 high, 1 medium, 2 low, 1 info\)/,
    );
  });

  it("escapes markup and replaces characters XML 1.0 cannot carry", async () => {
    const xml = renderJunit(hostileReport(), TEST_CATALOG, OPTS);
    await expectValid(xml);
    expect(xml).not.toContain(HOSTILE);
    expect(xml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(xml).not.toContain("]]>");
    const forbidden = [...xml].filter((c) => {
      const n = c.codePointAt(0)!;
      return (
        (n < 0x20 && n !== 0x9 && n !== 0xa && n !== 0xd) || n === 0xfffe || (n >= 0xd800 && n <= 0xdfff)
      );
    });
    expect(forbidden).toEqual([]);
    expect(xml).toContain("\uFFFD");
  });

  it("uses the snapshot's capture time when no timestamp is given", () => {
    const xml = renderJunit(snapshotReport(), TEST_CATALOG);
    expect(attr(suites(xml).get("kubeguard")!, "timestamp")).toBe("2025-03-04T05:06:07");
    expect(attr(suites(xml).get("kubeguard")!, "hostname")).toBe("localhost");
  });
});

describe("XML helpers", () => {
  it("escapes text and attributes", () => {
    expect(xmlText("a & <b> \u0001")).toBe("a &amp; &lt;b&gt; \uFFFD");
    expect(xmlAttr('say "hi"\n\tnow')).toBe("say &quot;hi&quot;&#10;&#9;now");
  });

  it("formats timestamps as the schema's zone-less dateTime", () => {
    expect(junitTimestamp(new Date("2025-06-07T08:09:10.123Z"))).toBe("2025-06-07T08:09:10");
    expect(junitTimestamp("not a date", "2020-01-01T00:00:00Z")).toBe("2020-01-01T00:00:00");
    expect(junitTimestamp(undefined)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });
});
