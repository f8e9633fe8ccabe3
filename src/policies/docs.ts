/**
 * Renders docs/checks.md from the registry, so the catalogue can never drift from the code.
 */
import { FRAMEWORKS } from "./frameworks.ts";
import { CHECKS } from "./registry.ts";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The full check catalogue as Markdown. */
export function renderChecksMarkdown(): string {
  const out: string[] = [
    "# kubeguard checks",
    "",
    "<!-- Generated from src/policies/registry.ts by `npm run docs`. Do not edit by hand. -->",
    "",
    `${CHECKS.length} checks. IDs are stable forever; PSS checks also carry the upstream Pod Security Admission check ID.`,
    "",
    "| ID | Severity | Title |",
    "| --- | --- | --- |",
    ...CHECKS.map((c) => `| [\`${c.id}\`](#${c.id.replace(/\./g, "")}) | ${c.severity} | ${cell(c.title)} |`),
    "",
  ];
  for (const c of CHECKS) {
    out.push(`## ${c.id}`, "");
    out.push(
      `**${cell(c.title)}** — severity \`${c.severity}\`, scope \`${c.scope}\`${c.pssCheck ? `, PSS check \`${c.pssCheck}\` (${c.pssLevel})` : ""}.`,
      "",
    );
    out.push(c.description, "");
    out.push(`**Remediation.** ${c.remediation}`, "");
    const fws = Object.entries(c.frameworks)
      .map(([fw, control]) => {
        const f = FRAMEWORKS.find((x) => x.id === fw);
        const title = f?.controls.find((x) => x.id === control)?.title;
        return `${fw} \`${control}\`${title ? ` (${title})` : ""}`;
      })
      .join("; ");
    if (fws) out.push(`**Frameworks.** ${fws}`, "");
    if (c.references.length)
      out.push(`**References.** ${c.references.map((r) => `[${r.title}](${r.url})`).join(", ")}`, "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
