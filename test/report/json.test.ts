import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { renderJson, renderJsonChunks } from "../../src/report/json.ts";
import {
  cleanReport,
  hostileReport,
  largeReport,
  manifestReport,
  REPORT_SCHEMA,
  snapshotReport,
} from "./fixtures.ts";

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
  JSON.parse(readFileSync(REPORT_SCHEMA, "utf8")),
);

describe("renderJson", () => {
  it("is exactly the report, with a 2-space indent and a final newline", () => {
    const report = manifestReport();
    const text = renderJson(report);
    expect(JSON.parse(text)).toEqual(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "kubeguard",')).toBe(true);
  });

  it("keeps the object's key order", () => {
    const keys = Object.keys(JSON.parse(renderJson(manifestReport())));
    expect(keys).toEqual([
      "schemaVersion",
      "tool",
      "options",
      "resources",
      "findings",
      "errors",
      "frameworks",
      "warnings",
      "summary",
      "verdict",
    ]);
  });

  it("renders fixtures that are valid scan-report.v1 documents (the fixtures are realistic)", () => {
    for (const report of [manifestReport(), snapshotReport(), hostileReport(), cleanReport()]) {
      const ok = validate(JSON.parse(renderJson(report)));
      expect(ok ? [] : validate.errors).toEqual([]);
    }
  });
});

describe("renderJsonChunks", () => {
  it("writes exactly the bytes of renderJson, in pieces", () => {
    for (const report of [manifestReport(), snapshotReport(), hostileReport(), cleanReport()]) {
      expect([...renderJsonChunks(report)].join("")).toBe(renderJson(report));
    }
    const large = largeReport(1000);
    const chunks = [...renderJsonChunks(large)];
    expect(chunks.join("")).toBe(renderJson(large));
    expect(chunks.length).toBeGreaterThan(4);
  });
});
