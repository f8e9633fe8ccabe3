/**
 * Shared helpers of the cluster tests: temporary directories, kubeconfig files, in-process CLI runs
 * of one command, and the JSON Schema of the snapshot format.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Command } from "../../src/cli/io.ts";
import { kubeconfigYaml } from "./fake-apiserver.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** A temporary directory removed by `cleanup`. */
export function tempDir(prefix = "kubeguard-cluster-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write a kubeconfig with one context per entry; returns its path. */
export function writeKubeconfig(
  dir: string,
  name: string,
  contexts: Parameters<typeof kubeconfigYaml>[0],
  current?: string,
): string {
  const path = join(dir, name);
  writeFileSync(path, kubeconfigYaml(contexts, current));
  return path;
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run one command in-process with captured streams. */
export async function runCommand(
  command: Command,
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; stderrTTY?: boolean },
): Promise<CommandRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const stderr = Object.assign(new PassThrough(), { isTTY: opts.stderrTTY ?? false });
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  const code = await command(args, {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: opts.env ?? {},
    cwd: opts.cwd,
  });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

/** A validator for docs/schema/cluster-snapshot.v1.json. */
export function snapshotValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, "docs/schema/cluster-snapshot.v1.json"), "utf8")));
}
