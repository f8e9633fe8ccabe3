/**
 * `kubeguard snapshot`: capture a read-only ClusterSnapshot of a live cluster (src/cluster/snapshot.ts)
 * and write it as JSON to --output or stdout. Progress goes to stderr: a line per kind on a terminal, a
 * one-line summary otherwise, nothing with --quiet; warnings (kinds the credentials may not list) are
 * always shown. Exit 0 on success, 2 when the cluster cannot be reached, authentication fails, or an
 * input (kubeconfig, encryption config, flags) is unusable.
 */
import { writeFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  ClusterUnreachableError,
  EncryptionConfigError,
  KubeconfigError,
  takeSnapshot,
} from "../cluster/snapshot.ts";
import { type CliIO, type Command, UsageError } from "./io.ts";

export const SNAPSHOT_USAGE = `Usage: kubeguard snapshot [options]

Capture a read-only snapshot of a live cluster (JSON, kind ClusterSnapshot) to scan later with
"kubeguard scan FILE" or POST /v1/scans. Secrets are read as metadata only: no value leaves the cluster.

Options:
  --kubeconfig PATH         kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster service account)
  --context NAME            kubeconfig context (default: current-context)
  -n, --namespace NS        only these namespaces (repeatable); cluster-scoped kinds are still listed
  -o, --output FILE         write the snapshot to FILE (default: stdout)
  --encryption-config PATH  add the control plane's EncryptionConfiguration (key material is redacted)
  -q, --quiet               no progress or summary on stderr
  -h, --help                show this help

Exit codes: 0 written, 2 cluster unreachable, authentication failed, or bad input.
See docs/snapshot.md for the format and docs/rbac/kubeguard-reader.yaml for the permissions it needs.`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: {
        kubeconfig: { type: "string" },
        context: { type: "string" },
        namespace: { type: "string", short: "n", multiple: true },
        output: { type: "string", short: "o" },
        "encryption-config": { type: "string" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${SNAPSHOT_USAGE}`);
  }
}

function absolute(io: CliIO, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** `kubeguard snapshot [--kubeconfig PATH] [--context NAME] [--namespace NS]… [--output FILE] [--encryption-config PATH] [--quiet]`. */
export const snapshotCommand: Command = async (args, io) => {
  const flags = parse(args);
  if (flags.help) {
    io.stdout.write(`${SNAPSHOT_USAGE}\n`);
    return 0;
  }
  for (const name of ["kubeconfig", "context", "output", "encryption-config"] as const) {
    if (flags[name] === "") throw new UsageError(`--${name} needs a value\n\n${SNAPSHOT_USAGE}`);
  }
  const namespaces = flags.namespace ?? [];
  if (namespaces.some((ns) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns))) {
    throw new UsageError(
      `--namespace must be a namespace name (lowercase letters, digits and '-')\n\n${SNAPSHOT_USAGE}`,
    );
  }
  const quiet = flags.quiet === true;
  const tty = io.stderr.isTTY === true;
  const kubeconfig = flags.kubeconfig === undefined ? undefined : absolute(io, flags.kubeconfig);
  const encryptionConfig =
    flags["encryption-config"] === undefined ? undefined : absolute(io, flags["encryption-config"]);

  let snapshot: Awaited<ReturnType<typeof takeSnapshot>>;
  try {
    snapshot = await takeSnapshot({
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
      ...(namespaces.length ? { namespaces } : {}),
      ...(encryptionConfig ? { encryptionConfig } : {}),
      env: io.env,
      ...(tty && !quiet
        ? { onProgress: (kind: string, count: number) => io.stderr.write(`listed ${count} ${kind}\n`) }
        : {}),
    });
  } catch (err) {
    if (
      err instanceof ClusterUnreachableError ||
      err instanceof KubeconfigError ||
      err instanceof EncryptionConfigError
    ) {
      io.stderr.write(`kubeguard snapshot: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const json = `${JSON.stringify(snapshot, null, 2)}\n`;
  const output = flags.output === undefined || flags.output === "-" ? undefined : absolute(io, flags.output);
  if (output) {
    try {
      await writeFile(output, json);
    } catch (err) {
      io.stderr.write(`kubeguard snapshot: cannot write ${flags.output}: ${(err as Error).message}\n`);
      return 2;
    }
  } else {
    io.stdout.write(json);
  }
  for (const w of snapshot.metadata.warnings) io.stderr.write(`warning: ${w}\n`);
  if (!quiet) {
    const m = snapshot.metadata;
    io.stderr.write(
      `snapshot of ${m.cluster} (${m.serverVersion}, ${m.provider}): ${snapshot.items.length} objects` +
        `${m.warnings.length ? `, ${m.warnings.length} warning${m.warnings.length === 1 ? "" : "s"}` : ""}` +
        `${output ? ` written to ${flags.output}` : ""}\n`,
    );
  }
  return 0;
};
