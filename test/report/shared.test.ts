import { describe, expect, it } from "vitest";
import {
  catalogOf,
  checkMeta,
  checksWithFindings,
  compareFindings,
  countsSentence,
  fileLink,
  fileUri,
  locationLabel,
  normalizeBaseUri,
  resourceLabel,
  summarySentence,
  wellFormed,
} from "../../src/report/shared.ts";
import { finding, manifestReport, TEST_CATALOG, TEST_CHECKS } from "./fixtures.ts";

describe("fileUri", () => {
  it("makes repository-relative URIs with forward slashes and percent-encoding", () => {
    expect(fileUri("k8s/web.yaml")).toEqual({ uri: "k8s/web.yaml", relative: true });
    expect(fileUri("./k8s/my app/pod.yaml")).toEqual({ uri: "k8s/my%20app/pod.yaml", relative: true });
    expect(fileUri(".//k8s/./a.yaml")).toEqual({ uri: "k8s/a.yaml", relative: true });
    expect(fileUri("k8s\\win\\a.yaml")).toEqual({ uri: "k8s/win/a.yaml", relative: true });
    expect(fileUri("k8s/a#b?c%d(e).yaml")).toEqual({ uri: "k8s/a%23b%3Fc%25d%28e%29.yaml", relative: true });
    expect(fileUri("k8s/ünï.yaml")).toEqual({ uri: "k8s/%C3%BCn%C3%AF.yaml", relative: true });
    expect(fileUri("../outside.yaml")).toEqual({ uri: "../outside.yaml", relative: true });
    expect(fileUri("a:b.yaml")).toEqual({ uri: "a%3Ab.yaml", relative: true });
  });

  it("names standard input stdin and has no URI for no file", () => {
    expect(fileUri("<stdin>")).toEqual({ uri: "stdin", relative: true });
    expect(fileUri("-")).toEqual({ uri: "stdin", relative: true });
    expect(fileUri("")).toBeUndefined();
  });

  it("relativizes absolute paths under a file: base and keeps others absolute", () => {
    expect(fileUri("/repo/k8s/a.yaml", "file:///repo/")).toEqual({ uri: "k8s/a.yaml", relative: true });
    expect(fileUri("/my repo/a b.yaml", "file:///my%20repo")).toEqual({ uri: "a%20b.yaml", relative: true });
    expect(fileUri("C:\\repo\\a.yaml", "file:///C:/repo/")).toEqual({ uri: "a.yaml", relative: true });
    expect(fileUri("/other/a.yaml", "file:///repo/")).toEqual({
      uri: "file:///other/a.yaml",
      relative: false,
    });
    expect(fileUri("/other/a.yaml")).toEqual({ uri: "file:///other/a.yaml", relative: false });
    expect(fileUri("https://example.com/repo/a.yaml", "https://example.com/repo/")).toEqual({
      uri: "a.yaml",
      relative: true,
    });
  });

  it("survives lone surrogates", () => {
    expect(fileUri("a\uD800.yaml")).toEqual({ uri: "a%EF%BF%BD.yaml", relative: true });
    expect(wellFormed("ok \uDC00 \uD83D\uDE80")).toBe("ok \uFFFD \uD83D\uDE80");
  });
});

describe("links and base URIs", () => {
  it("normalizes base URIs", () => {
    expect(normalizeBaseUri("file:///repo")).toBe("file:///repo/");
    expect(normalizeBaseUri("https://x/y/")).toBe("https://x/y/");
    expect(normalizeBaseUri("relative/path")).toBeUndefined();
    expect(normalizeBaseUri(undefined)).toBeUndefined();
  });

  it("links only repository files under an http(s) base", () => {
    expect(fileLink("./k8s/a b.yaml", 3, "https://github.com/o/r/blob/sha")).toBe(
      "https://github.com/o/r/blob/sha/k8s/a%20b.yaml#L3",
    );
    expect(fileLink("k8s/a.yaml", 0, "https://github.com/o/r/blob/sha/")).toBe(
      "https://github.com/o/r/blob/sha/k8s/a.yaml#L1",
    );
    expect(fileLink("<stdin>", 3, "https://github.com/o/r/blob/sha/")).toBeUndefined();
    expect(fileLink("", 3, "https://github.com/o/r/blob/sha/")).toBeUndefined();
    expect(fileLink("/abs/a.yaml", 3, "https://github.com/o/r/blob/sha/")).toBeUndefined();
    expect(fileLink("k8s/a.yaml", 3, "file:///repo/")).toBeUndefined();
    expect(fileLink("k8s/a.yaml", 3, 'https://x/"onload="y')).toBeUndefined();
    expect(fileLink("k8s/a.yaml", 3, undefined)).toBeUndefined();
  });
});

describe("labels and order", () => {
  it("labels resources and locations, never line 0", () => {
    expect(resourceLabel({ apiVersion: "v1", kind: "Pod", namespace: "ns", name: "p" })).toBe("Pod/ns/p");
    expect(resourceLabel({ apiVersion: "v1", kind: "Namespace", name: "ns" })).toBe("Namespace/ns");
    expect(locationLabel({ file: "a.yaml", line: 0 })).toBe("a.yaml:1");
    expect(locationLabel({ file: "", line: 4 })).toBe("cluster snapshot");
  });

  it("orders findings worst first, then by file, line and column", () => {
    const a = finding({
      check: "pss.privileged",
      severity: "low",
      location: { file: "b.yaml", line: 1, column: 1 },
    });
    const b = finding({
      check: "pss.privileged",
      severity: "low",
      location: { file: "a.yaml", line: 9, column: 1 },
    });
    const c = finding({
      check: "pss.privileged",
      severity: "low",
      location: { file: "a.yaml", line: 2, column: 5 },
    });
    const d = finding({
      check: "pss.privileged",
      severity: "critical",
      location: { file: "z.yaml", line: 1, column: 1 },
    });
    expect([a, b, c, d].sort(compareFindings)).toEqual([d, c, b, a]);
  });

  it("writes the summary sentence from the report's summary", () => {
    const report = manifestReport();
    expect(countsSentence(report)).toBe(
      "6 findings (1 critical, 1 high, 1 medium, 2 low, 1 info), 2 suppressed, 1 error in 4 resources",
    );
    expect(summarySentence(report)).toMatch(/— failed \(failOn high\)$/);
  });
});

describe("catalog", () => {
  it("resolves aliases and describes unknown checks from their finding", () => {
    const catalog = catalogOf(TEST_CHECKS);
    expect(catalog.get("pss.non-root")?.id).toBe("pss.run-as-non-root");
    const sample = finding({ check: "x.unknown", severity: "high", title: "Unknown thing" });
    expect(checkMeta(catalog, "x.unknown", sample)).toMatchObject({
      id: "x.unknown",
      title: "Unknown thing",
      severity: "high",
    });
  });

  it("lists checks with findings in catalog order, unknown ones last", () => {
    const { checks, byCheck } = checksWithFindings(TEST_CATALOG, manifestReport().findings);
    expect(checks.map((c) => c.id)).toEqual([
      "pss.privileged",
      "pss.run-as-non-root",
      "rbac.wildcard-verbs",
      "workload.latest-tag",
      "kubeguard.invalid-exemption",
      "future.unknown-check",
    ]);
    expect(byCheck.get("rbac.wildcard-verbs")).toHaveLength(2);
  });
});
