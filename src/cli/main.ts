/**
 * `kubeguard` CLI entry: dispatches to one file per command.
 */

import { VERSION } from "../version.ts";
import { type CliIO, type Command, processIO, UsageError } from "./io.ts";
import { policiesCommand } from "./policies.ts";
import { scanCommand } from "./scan.ts";

// Loaded on use, so `scan` never loads the cluster client.
const snapshotCommand: Command = async (args, io) =>
  (await import("./snapshot.ts")).snapshotCommand(args, io);

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  scan: { run: scanCommand, summary: "scan manifests, directories, stdin or a cluster" },
  policies: { run: policiesCommand, summary: "list every check with its metadata" },
  snapshot: { run: snapshotCommand, summary: "capture a read-only snapshot of a live cluster" },
};

const USAGE = `Usage: kubeguard <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join("\n")}

Run "kubeguard <command> --help" for a command's options.`;

/** Run the CLI with arguments (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`kubeguard ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`kubeguard: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`kubeguard ${name}: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`kubeguard ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
