/**
 * `kubeguard policies`: every check with its metadata, from the registry.
 */
import { parseArgs } from "node:util";
import { CHECKS } from "../policies/registry.ts";
import type { Check } from "../policies/types.ts";
import { type Command, UsageError } from "./io.ts";

const USAGE = `Usage: kubeguard policies [--format table|json]

Lists every check: ID, severity, scope, title, frameworks, remediation.`;

/** The public view of a check (what `GET /v1/policies` and `kubeguard policies --format json` show). */
export function describeCheck(c: Check) {
  return {
    id: c.id,
    ...(c.aliases?.length ? { aliases: c.aliases } : {}),
    title: c.title,
    severity: c.severity,
    scope: c.scope,
    ...(c.pssCheck ? { pssCheck: c.pssCheck, pssLevel: c.pssLevel } : {}),
    description: c.description,
    remediation: c.remediation,
    references: c.references,
    frameworks: c.frameworks,
  };
}

export const policiesCommand: Command = async (args, io) => {
  let format: string;
  try {
    const { values } = parseArgs({
      args,
      options: { format: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    format = values.format ?? (io.stdout.isTTY ? "table" : "json");
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (format === "json") {
    io.stdout.write(`${JSON.stringify(CHECKS.map(describeCheck), null, 2)}\n`);
    return 0;
  }
  if (format !== "table") throw new UsageError(`invalid --format "${format}"\n\n${USAGE}`);
  const idWidth = Math.max(...CHECKS.map((c) => c.id.length));
  const lines = CHECKS.map((c) => `${c.id.padEnd(idWidth)}  ${c.severity.padEnd(8)}  ${c.title}`);
  io.stdout.write(
    `${"ID".padEnd(idWidth)}  SEVERITY  TITLE\n${lines.join("\n")}\n\n${CHECKS.length} checks\n`,
  );
  return 0;
};
