/**
 * Meta-tests over the registry: the catalogue stays honest (unique IDs, remediation style, known
 * framework controls, pass/fail fixtures for every check, generated docs up to date).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderChecksMarkdown } from "../src/policies/docs.ts";
import { FRAMEWORKS } from "../src/policies/frameworks.ts";
import { CHECKS } from "../src/policies/registry.ts";
import { scanInputs } from "../src/scan/run.ts";
import { VERSION } from "../src/version.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const NOW = new Date("2026-12-01T12:00:00Z");

describe("check registry", () => {
  it("has unique IDs and aliases of the form <module>.<kebab-name>", () => {
    const seen = new Set<string>();
    for (const c of CHECKS) {
      for (const id of [c.id, ...(c.aliases ?? [])]) {
        expect(id).toMatch(/^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(seen.has(id), `duplicate id ${id}`).toBe(false);
        seen.add(id);
      }
    }
    expect(CHECKS.length).toBeGreaterThan(19);
  });

  it("keeps each check in the folder of its module", () => {
    for (const c of CHECKS) {
      const module = c.id.split(".")[0]!;
      expect(existsSync(join(root, "src/policies", module)), `${c.id}: no src/policies/${module}/`).toBe(
        true,
      );
    }
  });

  it("gives every check a title, a description, a remediation ending with a period and references", () => {
    for (const c of CHECKS) {
      expect(c.title.trim(), c.id).not.toBe("");
      expect(c.description.length, `${c.id} description`).toBeGreaterThan(20);
      expect(c.remediation.trim(), `${c.id} remediation`).toMatch(/\.$/);
      expect(c.references.length, `${c.id} references`).toBeGreaterThan(0);
      for (const r of c.references) expect(r.url, c.id).toMatch(/^https:\/\//);
    }
  });

  it("maps checks only onto controls that exist", () => {
    for (const c of CHECKS) {
      for (const [fw, control] of Object.entries(c.frameworks)) {
        const framework = FRAMEWORKS.find((f) => f.id === fw);
        expect(framework, `${c.id}: unknown framework ${fw}`).toBeDefined();
        if (fw.startsWith("pss-")) continue;
        expect(
          framework?.controls.some((x) => x.id === control),
          `${c.id}: unknown control ${fw} ${control}`,
        ).toBe(true);
      }
    }
  });

  it("names the upstream PSA check on every PSS check", () => {
    const pss = CHECKS.filter((c) => c.scope === "pss");
    expect(pss).toHaveLength(19);
    for (const c of pss) expect(c.pssCheck, c.id).toMatch(/^[a-zA-Z_]+$/);
  });

  it("keeps docs/checks.md equal to what `npm run docs` writes", () => {
    const committed = readFileSync(join(root, "docs/checks.md"), "utf8");
    expect(committed, "docs/checks.md is stale: run npm run docs").toBe(renderChecksMarkdown());
  });

  it("reports the package version", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe("check fixtures", () => {
  const moduleChecks = CHECKS.filter((c) => c.scope !== "pss");
  it("has no fixture without a check", () => {
    const names = new Set(moduleChecks.map((c) => c.id.replace(".", "/fixtures/")));
    for (const module of new Set(moduleChecks.map((c) => c.id.split(".")[0]!))) {
      const dir = join(root, "src/policies", module, "fixtures");
      for (const f of readdirSync(dir)) {
        if (!/\.(pass|fail)\.yaml$/.test(f)) continue;
        expect(
          names.has(`${module}/fixtures/${f.replace(/\.(pass|fail)\.yaml$/, "")}`),
          `orphan fixture ${module}/${f}`,
        ).toBe(true);
      }
    }
  });
  for (const c of moduleChecks) {
    const [module, name] = c.id.split(".") as [string, string];
    const dir = join(root, "src/policies", module, "fixtures");
    for (const kind of ["pass", "fail"] as const) {
      it(`${c.id} ${kind}s its ${kind} fixture`, () => {
        const file = join(dir, `${name}.${kind}.yaml`);
        expect(existsSync(file), `missing fixture src/policies/${module}/fixtures/${name}.${kind}.yaml`).toBe(
          true,
        );
        const report = scanInputs({ inputs: [{ file, text: readFileSync(file, "utf8") }], now: NOW });
        expect(report.errors, `${file} has ingest errors`).toEqual([]);
        const own = report.findings.filter((f) => f.check === c.id && !f.suppressed);
        if (kind === "pass") expect(own.map((f) => f.message)).toEqual([]);
        else expect(own.length, `${c.id} found nothing in its fail fixture`).toBeGreaterThan(0);
        for (const f of own) expect(f.location.line).toBeGreaterThan(0);
      });
    }
  }
});
