/** An exemption annotation that does not apply (no reason, bad date, expired) is itself reported. */
import { defineCheck } from "../types.ts";
import { EXEMPT, readExemptionAnnotation } from "./exemption-annotation.ts";

export const invalidExemption = defineCheck({
  id: "kubeguard.invalid-exemption",
  scope: "resource",
  title: "Exemption annotation that does not apply",
  severity: "info",
  description:
    "Reads metadata.annotations `kubeguard.dev/exempt` (comma-separated check IDs), `kubeguard.dev/exempt-reason` (required, non-empty) and `kubeguard.dev/exempt-until` (optional, YYYY-MM-DD, inclusive). An exemption without a reason, with a malformed date, or past its date does not suppress anything and is reported here.",
  remediation:
    "Give the exemption a kubeguard.dev/exempt-reason and a valid future kubeguard.dev/exempt-until, or remove it.",
  references: [{ title: "kubeguard exemptions", url: "https://kubeguard.dev/docs/exemptions" }],
  frameworks: {},
  evaluate(resource, ctx) {
    const ex = readExemptionAnnotation(resource.object, ctx.now);
    if (!ex?.invalid) return [];
    return [
      {
        resource,
        path: ["metadata", "annotations", EXEMPT],
        message: `${resource.kind} "${resource.name}": exemption of ${ex.checks.join(", ") || "no check"} does not apply: ${ex.invalid}`,
      },
    ];
  },
});
