/**
 * PSS `allowPrivilegeEscalation` (restricted, v1.8 / v1.25).
 * Restricted field: each container's securityContext.allowPrivilegeEscalation. Allowed value: false,
 * set explicitly; unset and true both fail. A pod-level field does not exist and is ignored.
 * v1.25+: Windows pods (spec.os.name: windows) are exempt.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  SECURITY_CONTEXT_DOCS,
  scPath,
} from "./check.ts";
import { containerList } from "./format.ts";
import type { PssPod } from "./types.ts";

function evaluate1_8(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const bad: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    if (c.sc?.allowPrivilegeEscalation === false) continue;
    bad.push(c.name);
    paths.push(scPath(c, "allowPrivilegeEscalation"));
  }
  if (bad.length === 0) return undefined;
  return {
    reason: "allowPrivilegeEscalation != false",
    detail: `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    paths,
  };
}

function evaluate1_25(pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return ctx.windows ? undefined : evaluate1_8(pod, ctx);
}

/** PSS `allowPrivilegeEscalation`: requires allowPrivilegeEscalation=false on every container. */
export const allowPrivilegeEscalation: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.allow-privilege-escalation",
    scope: "pss",
    pssCheck: "allowPrivilegeEscalation",
    pssLevel: "restricted",
    title: "Containers must forbid privilege escalation",
    severity: "medium",
    description:
      "Reads each container's securityContext.allowPrivilegeEscalation (init, regular and ephemeral " +
      "containers). It must be set to false explicitly; unset or true lets a process gain more privileges " +
      "than its parent (setuid binaries). Policy v1.8+; from v1.25 Windows pods are exempt.",
    remediation: "Set securityContext.allowPrivilegeEscalation to false on every container.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-restricted": "allowPrivilegeEscalation",
      cis: "5.2.6",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 8, evaluate: evaluate1_8 },
    { minVersion: 25, evaluate: evaluate1_25 },
  ],
};
