/**
 * PSS `privileged` (baseline, v1.0).
 * Restricted field: each container's securityContext.privileged. Allowed values: unset or false.
 * A pod-level securityContext.privileged does not exist in the API and is ignored.
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

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const bad: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    if (c.sc?.privileged !== true) continue;
    bad.push(c.name);
    paths.push(scPath(c, "privileged"));
  }
  if (bad.length === 0) return undefined;
  return {
    reason: "privileged",
    detail: `${containerList(bad)} must not set securityContext.privileged=true`,
    paths,
  };
}

/** PSS `privileged`: forbids privileged containers. */
export const privileged: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.privileged",
    scope: "pss",
    pssCheck: "privileged",
    pssLevel: "baseline",
    title: "Containers must not run privileged",
    severity: "critical",
    description:
      "Reads each container's securityContext.privileged (init, regular and ephemeral containers). It must " +
      "be unset or false; a privileged container has nearly all the host's capabilities and devices.",
    remediation: "Remove securityContext.privileged or set it to false.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-baseline": "privileged",
      "pss-restricted": "privileged",
      cis: "5.2.2",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
