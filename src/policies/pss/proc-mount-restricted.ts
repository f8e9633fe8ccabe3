/**
 * PSS `procMount_restricted` (restricted, v1.35; overrides procMount).
 * Restricted field: each container's securityContext.procMount. Allowed values: unset or "Default",
 * with no user-namespace relaxation: restricted keeps the strict rule after baseline was relaxed.
 */
import { defineCheck } from "../types.ts";
import {
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  SECURITY_CONTEXT_DOCS,
} from "./check.ts";
import { strictProcMount } from "./proc-mount.ts";
import type { PssPod } from "./types.ts";

function evaluate1_35(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return strictProcMount(ctx);
}

/** PSS `procMount_restricted`: forbids unmasked /proc mounts, even in user namespaces. */
export const procMountRestricted: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.proc-mount-restricted",
    scope: "pss",
    pssCheck: "procMount_restricted",
    pssLevel: "restricted",
    title: "Containers must use the default /proc mount (restricted)",
    severity: "medium",
    description:
      "Reads each container's securityContext.procMount. It must be unset or Default, even when the pod " +
      "runs in a user namespace (spec.hostUsers: false). Policy v1.35+, replacing procMount at restricted.",
    remediation: "Remove securityContext.procMount or set it to Default.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-restricted": "procMount_restricted",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 35, overrides: ["procMount"], evaluate: evaluate1_35 }],
};
