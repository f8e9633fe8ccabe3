/**
 * What a CLI command may touch, passed in so commands are testable in-process:
 * streams, environment and working directory. Commands return their exit code.
 */
import type { Readable, Writable } from "node:stream";

export interface CliIO {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A command: parses its own arguments, returns the exit code (0 ok, 1 policy failure, 2 usage/input error). */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The process's own streams and environment. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
