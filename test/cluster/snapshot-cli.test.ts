/**
 * `kubeguard snapshot` in-process: output to a file or stdout, progress and summary on stderr,
 * --quiet, warnings, flags, and exit code 2 for unreachable clusters, bad credentials and bad input.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/io.ts";
import { snapshotCommand } from "../../src/cli/snapshot.ts";
import { type FakeCluster, FIXTURES, startFakeCluster, TOKEN } from "./fake-apiserver.ts";
import { runCommand, snapshotValidator, tempDir, writeKubeconfig } from "./helpers.ts";

const tmp = tempDir("kubeguard-snapshot-cli-");
let fake: FakeCluster;
let kubeconfig: string;

beforeAll(async () => {
  fake = await startFakeCluster();
  kubeconfig = writeKubeconfig(tmp.dir, "config.yaml", [
    { name: "kind-dev", server: fake.url, token: TOKEN },
  ]);
});
afterAll(async () => {
  await fake.close();
  tmp.cleanup();
});

describe("kubeguard snapshot", () => {
  it("writes the snapshot to --output (relative to the working directory) with a summary on stderr", async () => {
    const run = await runCommand(snapshotCommand, ["--kubeconfig", "config.yaml", "--output", "snap.json"], {
      cwd: tmp.dir,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    const snapshot = JSON.parse(readFileSync(join(tmp.dir, "snap.json"), "utf8"));
    expect(snapshotValidator()(snapshot)).toBe(true);
    expect(run.stderr).toBe(
      `snapshot of kind-dev-cluster (v1.32.2, kubeadm): ${snapshot.items.length} objects written to snap.json\n`,
    );
  });

  it("writes to stdout without --output, reading KUBECONFIG from the environment", async () => {
    const run = await runCommand(snapshotCommand, ["-q"], { cwd: tmp.dir, env: { KUBECONFIG: kubeconfig } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({ apiVersion: "kubeguard.dev/v1", kind: "ClusterSnapshot" });
  });

  it("prints a progress line per kind when stderr is a terminal", async () => {
    const run = await runCommand(snapshotCommand, ["--kubeconfig", kubeconfig, "-o", "tty.json"], {
      cwd: tmp.dir,
      stderrTTY: true,
    });
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toContain("listed 18 namespaces");
    expect(lines.some((l) => /^listed \d+ pods$/.test(l))).toBe(true);
    expect(lines.some((l) => /^listed \d+ secrets$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^snapshot of kind-dev-cluster/);
  });

  it("is silent with --quiet on a terminal, and limits namespaces with repeated --namespace", async () => {
    const run = await runCommand(
      snapshotCommand,
      ["--kubeconfig", kubeconfig, "--quiet", "-n", "shop", "--namespace", "batch"],
      { cwd: tmp.dir, stderrTTY: true },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const s = JSON.parse(run.stdout);
    expect(s.metadata.namespaces).toEqual(["shop", "batch"]);
  });

  it("shows warnings for kinds it may not list, and still exits 0", async () => {
    const limited = await startFakeCluster({ forbidden: ["secrets"] });
    try {
      const path = writeKubeconfig(tmp.dir, "limited.yaml", [
        { name: "l", server: limited.url, token: TOKEN },
      ]);
      const run = await runCommand(snapshotCommand, ["--kubeconfig", path, "-q", "-o", "limited.json"], {
        cwd: tmp.dir,
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("warning: cannot list secrets: forbidden (403)\n");
      const s = JSON.parse(readFileSync(join(tmp.dir, "limited.json"), "utf8"));
      expect(s.metadata.warnings).toEqual(["cannot list secrets: forbidden (403)"]);
    } finally {
      await limited.close();
    }
  });

  it("adds --encryption-config and exits 2 with a clear message when it is invalid", async () => {
    const ok = await runCommand(
      snapshotCommand,
      ["--kubeconfig", kubeconfig, "-q", "--encryption-config", join(FIXTURES, "encryption-config.yaml")],
      { cwd: tmp.dir },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).items.at(-1).kind).toBe("EncryptionConfiguration");
    const bad = await runCommand(
      snapshotCommand,
      ["--kubeconfig", kubeconfig, "--encryption-config", join(FIXTURES, "encryption-config-invalid.yaml")],
      { cwd: tmp.dir },
    );
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(
      /^kubeguard snapshot: .*encryption-config-invalid\.yaml: invalid YAML at line \d+/,
    );
  });

  it("exits 2 with a clear message when the cluster cannot be reached", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const path = writeKubeconfig(tmp.dir, "down.yaml", [
      { name: "d", server: `http://127.0.0.1:${port}`, token: TOKEN },
    ]);
    const run = await runCommand(snapshotCommand, ["--kubeconfig", path, "-o", "down.json"], {
      cwd: tmp.dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `kubeguard snapshot: cannot reach the Kubernetes API server at http://127.0.0.1:${port}: connection refused\n`,
    );
  });

  it("exits 2 when authentication fails (401)", async () => {
    const path = writeKubeconfig(tmp.dir, "badtoken.yaml", [
      { name: "b", server: fake.url, token: "revoked" },
    ]);
    const run = await runCommand(snapshotCommand, ["--kubeconfig", path], { cwd: tmp.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("failed (401 Unauthorized)");
  });

  it("exits 2 for an unknown context or a missing kubeconfig", async () => {
    const ctx = await runCommand(snapshotCommand, ["--kubeconfig", kubeconfig, "--context", "prod"], {
      cwd: tmp.dir,
    });
    expect(ctx.code).toBe(2);
    expect(ctx.stderr).toContain('context "prod" not found');
    const missing = await runCommand(snapshotCommand, ["--kubeconfig", "nope.yaml"], { cwd: tmp.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/kubeconfig .*nope\.yaml not found/);
  });

  it("rejects bad flags with a UsageError and prints help with --help", async () => {
    await expect(runCommand(snapshotCommand, ["--bogus"], { cwd: tmp.dir })).rejects.toThrow(UsageError);
    await expect(runCommand(snapshotCommand, ["extra"], { cwd: tmp.dir })).rejects.toThrow(UsageError);
    await expect(runCommand(snapshotCommand, ["-n", "Not_A_Namespace"], { cwd: tmp.dir })).rejects.toThrow(
      UsageError,
    );
    const help = await runCommand(snapshotCommand, ["--help"], { cwd: tmp.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--encryption-config PATH");
  });
});
