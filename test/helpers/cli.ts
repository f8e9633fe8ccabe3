/** Run the CLI in-process with captured streams. */
import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `kubeguard <args>` in `cwd`, with optional stdin text and a TTY flag for stdout. */
export async function runCli(
  args: string[],
  opts: { cwd: string; stdin?: string; tty?: boolean; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  stdout.on("data", (c: Buffer) => out.push(c));
  stderr.on("data", (c: Buffer) => err.push(c));
  const code = await main(args, {
    stdout,
    stderr,
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    env: opts.env ?? {},
    cwd: opts.cwd,
  });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
