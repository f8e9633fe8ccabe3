/**
 * The `kubeguard` CLI as a user runs it: inputs, formats, exit codes, config discovery.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let dir: string;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubeguard-cli-"));
  mkdirSync(join(dir, "k8s/nested"), { recursive: true });
  writeFileSync(join(dir, "k8s/web.yaml"), WEB);
  writeFileSync(
    join(dir, "k8s/nested/svc.yml"),
    "apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\n",
  );
  writeFileSync(join(dir, "k8s/notes.txt"), "not a manifest");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(root, "docs/schema/scan-report.v1.json"), "utf8")));
}

describe("kubeguard scan", () => {
  it("prints the documented JSON report and exits 1 when a finding reaches --fail-on", async () => {
    const run = await runCli(["scan", "k8s", "--format", "json"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const validate = validator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.schemaVersion).toBe(1);
    expect(report.options).toEqual({ pssLevel: "restricted", pssVersion: "latest", failOn: "high" });
    expect(report.resources.map((r: { kind: string }) => r.kind).sort()).toEqual(["Deployment", "Service"]);
    const f = report.findings.find((x: { check: string }) => x.check === "pss.privileged");
    expect(f.location).toEqual({ file: "k8s/web.yaml", line: 17, column: 13 });
  });

  it("exits 0 when nothing reaches --fail-on", async () => {
    const run = await runCli(["scan", "k8s/web.yaml", "--fail-on", "none", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(0);
  });

  it("reads stdin with -", async () => {
    const run = await runCli(["scan", "-", "--format", "json", "--pss-level", "baseline"], {
      cwd: dir,
      stdin: WEB,
    });
    const report = JSON.parse(run.stdout);
    expect(report.findings.find((x: { check: string }) => x.check === "pss.privileged").location.file).toBe(
      "<stdin>",
    );
  });

  it("writes the report to --output", async () => {
    const run = await runCli(["scan", "k8s", "--output", "out.json", "--fail-on", "none"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).schemaVersion).toBe(1);
  });

  it("defaults to the table format on a terminal, with file:line and a summary", async () => {
    const run = await runCli(["scan", "k8s", "--no-color"], { cwd: dir, tty: true });
    expect(run.stdout).toContain("k8s/web.yaml:17");
    expect(run.stdout).toContain("pss.privileged");
    expect(run.stdout).not.toContain("\u001b[");
  });

  it("exits 2 for a path that does not exist, a bad flag value or no input", async () => {
    expect((await runCli(["scan", "nope.yaml"], { cwd: dir })).code).toBe(2);
    const bad = await runCli(["scan", "k8s", "--pss-level", "strict"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--pss-level");
    expect((await runCli(["scan", "k8s", "--pss-version", "1.25"], { cwd: dir })).code).toBe(2);
    expect((await runCli(["scan"], { cwd: dir })).code).toBe(2);
  });

  it("exits 2 when the input could not be read at all, 1 or 0 when only some documents are bad", async () => {
    writeFileSync(join(dir, "broken.yaml"), "kind: [unclosed\n");
    const broken = await runCli(["scan", "broken.yaml", "--format", "json"], { cwd: dir });
    expect(broken.code).toBe(2);
    const error = JSON.parse(broken.stdout).errors[0];
    expect(error).toMatchObject({ file: "broken.yaml", document: 0 });
    expect(error.line).toBeGreaterThanOrEqual(1);
    writeFileSync(join(dir, "mixed.yaml"), `${WEB}---\nkind: [unclosed\n`);
    const mixed = await runCli(["scan", "mixed.yaml", "--format", "json", "--fail-on", "none"], { cwd: dir });
    expect(mixed.code).toBe(0);
    expect(JSON.parse(mixed.stdout).summary.errors).toBe(1);
  });

  it("finds .kubeguard.yaml in the scanned directory and refuses a bad one with the key named", async () => {
    const cfgDir = join(dir, "with-config");
    mkdirSync(cfgDir, { recursive: true });
    writeFileSync(join(cfgDir, "web.yaml"), WEB);
    writeFileSync(join(cfgDir, ".kubeguard.yaml"), "pssLevel: baseline\nfailOn: none\n");
    const ok = await runCli(["scan", "with-config", "--format", "json"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).options.pssLevel).toBe("baseline");
    writeFileSync(join(cfgDir, ".kubeguard.yaml"), "pssLevel: baseline\nfailon: none\n");
    const bad = await runCli(["scan", "with-config"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown key "failon"');
  });
});

describe("kubeguard policies", () => {
  it("lists every check as JSON", async () => {
    const run = await runCli(["policies", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(0);
    const checks = JSON.parse(run.stdout) as { id: string; remediation: string }[];
    expect(checks.find((c) => c.id === "pss.privileged")).toBeDefined();
  });
});

describe("npx kubeguard", () => {
  it("runs from the bin entry with no build step", () => {
    const out = execFileSync(process.execPath, [join(root, "bin/kubeguard.mjs"), "--version"], {
      encoding: "utf8",
    });
    expect(out).toMatch(/^kubeguard \d+\.\d+\.\d+/);
    const run = spawnSync(
      process.execPath,
      [join(root, "bin/kubeguard.mjs"), "scan", "-", "--format", "json"],
      {
        input: WEB,
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).summary.findings).toBeGreaterThan(0);
  });

  it("reads what the fast YAML path leaves to js-yaml, which the bundle loads on first use", () => {
    // An alias (parsed by js-yaml), then a document js-yaml refuses (its exception type is recognised).
    const input = `${WEB}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: &n shared
  labels: { app: *n }
---
kind: [unclosed
`;
    const run = spawnSync(
      process.execPath,
      [join(root, "bin/kubeguard.mjs"), "scan", "-", "--format", "json"],
      {
        input,
        encoding: "utf8",
      },
    );
    const report = JSON.parse(run.stdout);
    expect(report.resources.map((r: { kind: string; name: string }) => `${r.kind}/${r.name}`)).toContain(
      "ConfigMap/shared",
    );
    expect(report.errors).toEqual([
      expect.objectContaining({ document: 2, message: expect.stringMatching(/^invalid YAML: /) }),
    ]);
  });
});

describe("kubeguard scan bounds", () => {
  it("takes configurable bounds and reports what they refuse as errors", async () => {
    const twoDocs = `${WEB}---\napiVersion: v1\nkind: Service\nmetadata: { name: a }\n`;
    writeFileSync(join(dir, "two.yaml"), twoDocs);
    const run = await runCli(
      ["scan", "two.yaml", "--format", "json", "--max-documents", "1", "--fail-on", "none"],
      {
        cwd: dir,
      },
    );
    const report = JSON.parse(run.stdout);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(report.errors)).toMatch(/document/i);
    const big = await runCli(["scan", "two.yaml", "--format", "json", "--max-bytes", "10"], { cwd: dir });
    expect(big.code).toBe(2);
    const bad = await runCli(["scan", "two.yaml", "--max-depth", "deep"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-depth");
  });
});
