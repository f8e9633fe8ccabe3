import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { CHECKS } from "../../src/policies/registry.ts";
import {
  catalogOf,
  MEDIA_TYPES,
  REGISTRY_CATALOG,
  REPORT_FORMATS,
  renderReport,
} from "../../src/report/index.ts";
import { finding, manifestReport, SCHEMAS_DIR, summarize, TEST_CHECKS } from "./fixtures.ts";

describe("renderReport", () => {
  it("renders every format", () => {
    const report = manifestReport();
    for (const format of REPORT_FORMATS) {
      const text = renderReport(report, format, {
        catalog: catalogOf(TEST_CHECKS),
        timestamp: "2025-01-01T00:00:00Z",
      });
      expect(text.length, format).toBeGreaterThan(100);
      expect(text.endsWith("\n"), format).toBe(true);
      expect(MEDIA_TYPES[format]).toBeTruthy();
    }
  });

  it("passes the options each format reads", () => {
    const report = manifestReport();
    expect(renderReport(report, "table", { color: true })).toContain("\u001b[1;31mCRITICAL");
    expect(renderReport(report, "table")).not.toContain("\u001b");
    expect(renderReport(report, "markdown", { title: "My scan" })).toMatch(/^## My scan\n/);
    expect(renderReport(report, "html", { title: "My scan" })).toContain("<h1>My scan</h1>");
    expect(
      renderReport(report, "junit", { timestamp: "2025-01-01T00:00:00Z", hostname: "runner" }),
    ).toContain('timestamp="2025-01-01T00:00:00" hostname="runner"');
    expect(
      JSON.parse(renderReport(report, "sarif", { baseUri: "file:///repo" })).runs[0].originalUriBaseIds,
    ).toEqual({
      "%SRCROOT%": { uri: "file:///repo/" },
    });
    expect(renderReport(report, "markdown", { maxLength: 3000 }).length).toBeLessThanOrEqual(3000);
  });

  it("reads rule metadata from the registry by default", () => {
    expect(REGISTRY_CATALOG.checks).toBe(CHECKS);
    expect(CHECKS.length).toBeGreaterThan(0);
    const check = CHECKS[0]!;
    const report = summarize({
      ...manifestReport(),
      findings: [finding({ check: check.id, severity: check.severity })],
    });
    const rule = JSON.parse(renderReport(report, "sarif")).runs[0].tool.driver.rules[0];
    expect(rule.id).toBe(check.id);
    expect(rule.shortDescription.text).toBe(check.title);
    expect(rule.help.text).toContain(check.remediation);
  });
});

describe("the registry's checks, whatever it holds today", () => {
  // One finding per registered check, at that check's severity.
  const report = summarize({
    ...manifestReport(),
    findings: CHECKS.map((c) => finding({ check: c.id, severity: c.severity, pssCheck: c.pssCheck })),
  });

  it("give SARIF that validates, with GitHub's rule fields on every rule", () => {
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(readFileSync(resolve(SCHEMAS_DIR, "sarif-schema-2.1.0.json"), "utf8")),
    );
    const log = JSON.parse(renderReport(report, "sarif"));
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const rules = log.runs[0].tool.driver.rules as {
      id: string;
      help: { text: string; markdown: string };
      properties: { "security-severity": string; tags: string[] };
    }[];
    expect(rules.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    for (const r of rules) {
      expect(r.help.text.length, r.id).toBeGreaterThan(0);
      expect(r.properties["security-severity"], r.id).toMatch(/^\d\.\d$/);
      expect(r.properties.tags.length, r.id).toBeLessThanOrEqual(10);
    }
  });

  it("give JUnit that validates", async () => {
    const xsd = readFileSync(resolve(SCHEMAS_DIR, "junit.xsd"), "utf8");
    const result = await validateXML({
      xml: [
        { fileName: "r.xml", contents: renderReport(report, "junit", { timestamp: "2025-01-01T00:00:00Z" }) },
      ],
      schema: [{ fileName: "junit.xsd", contents: xsd }],
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
