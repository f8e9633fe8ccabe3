/**
 * PSS conformance: every upstream Pod Security Admission fixture (4,537 files, indexed by
 * ../shared/conformance/pss/manifest.json) evaluated at its own level and version, plus the derived
 * messages and per-version results of the manifest. Grouped per level/version directory so the whole
 * suite stays fast; mismatches are collected and compared in one assertion with a readable diff.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  evaluatePss,
  formatPssMessage,
  NEWEST_PSS_MINOR,
  parsePssVersion,
} from "../../src/policies/pss/index.ts";
import type { PssPod } from "../../src/policies/pss/types.ts";
import type { PssLevel } from "../../src/policies/types.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/conformance/pss");

interface VersionRange {
  from_version: string;
  to_version: string;
  result: "pass" | "fail";
  checks: string[];
}

interface ManifestFile {
  path: string;
  level: "baseline" | "restricted";
  version: string;
  expect: "pass" | "fail";
  check: string | null;
  expect_error_substring: string | null;
  derived_violations: string[];
  derived_message: string | null;
  derived_by_version: VersionRange[];
}

interface Manifest {
  newest_policy_version: string;
  counts: { level: string; version: string; pass: number; fail: number }[];
  files: ManifestFile[];
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, "manifest.json"), "utf8")) as Manifest;

function loadPod(file: string): PssPod {
  const doc = parse(readFileSync(path.join(ROOT, file), "utf8")) as { metadata?: unknown; spec?: unknown };
  return { metadata: (doc.metadata ?? {}) as PssPod["metadata"], spec: (doc.spec ?? {}) as PssPod["spec"] };
}

function minorOf(version: string): number {
  const parsed = parsePssVersion(version);
  if (!parsed) throw new Error(`bad version in manifest: ${version}`);
  return parsed.minor;
}

/** Directories in manifest order: level/version → files. */
const groups = new Map<string, ManifestFile[]>();
for (const f of manifest.files) {
  const key = `${f.level}/${f.version}`;
  const list = groups.get(key) ?? [];
  list.push(f);
  groups.set(key, list);
}

describe("PSS conformance fixtures", () => {
  it("indexes 4,537 fixtures whose newest version is the evaluator's newest revision", () => {
    expect(manifest.files.length).toBe(4537);
    expect(minorOf(manifest.newest_policy_version)).toBe(NEWEST_PSS_MINOR);
    for (const c of manifest.counts) {
      const files = groups.get(`${c.level}/${c.version}`) ?? [];
      expect({ dir: `${c.level}/${c.version}`, pass: c.pass, fail: c.fail }).toEqual({
        dir: `${c.level}/${c.version}`,
        pass: files.filter((f) => f.expect === "pass").length,
        fail: files.filter((f) => f.expect === "fail").length,
      });
    }
  });

  for (const [dir, files] of groups) {
    it(`${dir}: verdicts, substrings, derived checks and messages, and every version range`, () => {
      const mismatches: string[] = [];
      for (const f of files) {
        const pod = loadPod(f.path);
        const level: PssLevel = f.level;
        const own = evaluatePss(pod, level, f.version);
        const checks = own.violations.map((v) => v.check);

        // Authoritative: the upstream verdict and expected substring at the file's own level and version.
        if (f.expect === "pass" && own.violations.length > 0) {
          mismatches.push(`${f.path}: expected pass, got ${own.message}`);
        }
        if (f.expect === "fail") {
          if (own.violations.length === 0) mismatches.push(`${f.path}: expected fail, got pass`);
          else if (f.expect_error_substring && !own.message.includes(f.expect_error_substring)) {
            mismatches.push(
              `${f.path}: message lacks ${JSON.stringify(f.expect_error_substring)}: ${own.message}`,
            );
          }
        }
        if (own.message.includes("unknown forbidden reason"))
          mismatches.push(`${f.path}: unknown forbidden reason`);

        // Strong reference: the derived check IDs and the full library message.
        if (checks.join(",") !== f.derived_violations.join(",")) {
          mismatches.push(`${f.path}: checks [${checks}] != derived [${f.derived_violations}]`);
        }
        const message = own.allowed ? null : formatPssMessage(own.level, own.version, own.message);
        if (message !== f.derived_message) {
          mismatches.push(`${f.path}: message\n    got      ${message}\n    derived  ${f.derived_message}`);
        }
        for (const v of own.violations) {
          if (v.paths.length === 0) mismatches.push(`${f.path}: ${v.check} has no path`);
        }

        // Strong reference: the result at every version of every derived range.
        for (const range of f.derived_by_version) {
          const from = minorOf(range.from_version);
          const to = range.to_version === "latest" ? NEWEST_PSS_MINOR + 2 : minorOf(range.to_version);
          for (let minor = from; minor <= to; minor++) {
            const version = minor > NEWEST_PSS_MINOR + 1 ? "latest" : `v1.${minor}`;
            const got = evaluatePss(pod, level, version).violations.map((v) => v.check);
            const result = got.length === 0 ? "pass" : "fail";
            if (result !== range.result || got.join(",") !== range.checks.join(",")) {
              mismatches.push(
                `${f.path} at ${version}: ${result} [${got}] != derived ${range.result} [${range.checks}]`,
              );
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
