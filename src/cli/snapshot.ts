/** `kubeguard snapshot`: placeholder until the snapshot command lands. */
import type { Command } from "./io.ts";

export const snapshotCommand: Command = async (_args, io) => {
  io.stderr.write("kubeguard snapshot: not available yet\n");
  return 2;
};
