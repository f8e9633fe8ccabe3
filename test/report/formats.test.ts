import { describe, expect, it } from "vitest";
import {
  FILE_EXTENSIONS,
  formatFromAccept,
  isReportFormat,
  MEDIA_TYPES,
  REPORT_FORMATS,
} from "../../src/report/formats.ts";

describe("formatFromAccept", () => {
  it("maps each media type to its format", () => {
    expect(formatFromAccept("application/json")).toBe("json");
    expect(formatFromAccept("application/sarif+json")).toBe("sarif");
    expect(formatFromAccept("application/xml")).toBe("junit");
    expect(formatFromAccept("text/xml")).toBe("junit");
    expect(formatFromAccept("application/junit+xml")).toBe("junit");
    expect(formatFromAccept("text/markdown")).toBe("markdown");
    expect(formatFromAccept("text/html")).toBe("html");
    expect(formatFromAccept("text/plain")).toBe("table");
  });

  it("accepts its own Content-Types back, parameters and case included", () => {
    for (const format of REPORT_FORMATS) expect(formatFromAccept(MEDIA_TYPES[format])).toBe(format);
    expect(formatFromAccept("Application/SARIF+JSON; charset=UTF-8")).toBe("sarif");
  });

  it("picks the highest q-value", () => {
    expect(formatFromAccept("application/json;q=0.5, application/sarif+json")).toBe("sarif");
    expect(formatFromAccept("text/html;q=0.2, text/markdown;q=0.9, */*;q=0.1")).toBe("markdown");
    expect(formatFromAccept("application/json; q=0.001, text/plain; q=0.002")).toBe("table");
  });

  it("lets the most specific range decide a type's weight", () => {
    // */* is fine, but JSON is explicitly refused.
    expect(formatFromAccept("application/json;q=0, */*")).toBe("sarif");
    expect(formatFromAccept("text/*;q=0.3, text/html")).toBe("html");
    expect(formatFromAccept("text/*, text/markdown;q=0")).toBe("html");
  });

  it("resolves wildcards to the preferred format", () => {
    expect(formatFromAccept("*/*")).toBe("json");
    expect(formatFromAccept("application/*")).toBe("json");
    expect(formatFromAccept("text/*")).toBe("markdown");
  });

  it("prefers an exact match over a wildcard of equal weight, then the earlier range", () => {
    expect(formatFromAccept("*/*, text/plain")).toBe("table");
    expect(formatFromAccept("application/xml, application/json")).toBe("junit");
  });

  it("answers what a browser and curl send", () => {
    expect(
      formatFromAccept(
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
      ),
    ).toBe("html");
    expect(formatFromAccept("*/*")).toBe("json");
  });

  it("is undefined when nothing acceptable is offered", () => {
    expect(formatFromAccept("")).toBeUndefined();
    expect(formatFromAccept("image/png")).toBeUndefined();
    expect(formatFromAccept("application/json;q=0")).toBeUndefined();
    expect(formatFromAccept("*/*;q=0")).toBeUndefined();
  });

  it("ignores malformed ranges and weights instead of failing", () => {
    expect(formatFromAccept("garbage, text/html")).toBe("html");
    expect(formatFromAccept("application/json;q=2, text/plain;q=0.5")).toBe("table");
    expect(formatFromAccept("application/json;q=abc")).toBeUndefined();
    expect(formatFromAccept('text/html;foo="a,b;c", application/json;q=0.1')).toBe("html");
    expect(formatFromAccept("*/json")).toBeUndefined();
    expect(formatFromAccept(",,;;")).toBeUndefined();
  });
});

describe("format tables", () => {
  it("has a media type and an extension for every format", () => {
    expect(REPORT_FORMATS).toEqual(["json", "sarif", "junit", "markdown", "html", "table"]);
    expect(MEDIA_TYPES).toEqual({
      json: "application/json",
      sarif: "application/sarif+json",
      junit: "application/xml",
      markdown: "text/markdown; charset=utf-8",
      html: "text/html; charset=utf-8",
      table: "text/plain; charset=utf-8",
    });
    expect(Object.keys(FILE_EXTENSIONS)).toEqual([...REPORT_FORMATS]);
  });

  it("recognises format names", () => {
    expect(isReportFormat("sarif")).toBe(true);
    expect(isReportFormat("xml")).toBe(false);
    expect(isReportFormat("toString")).toBe(false);
  });
});
