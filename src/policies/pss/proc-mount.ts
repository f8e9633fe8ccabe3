/**
 * PSS `procMount` (baseline, v1.0 / v1.35).
 * Restricted field: each container's securityContext.procMount. Allowed values: unset or "Default".
 * v1.35+: a user-namespace pod (spec.hostUsers: false) may use any value, since its /proc is not the
 * host's. At restricted from v1.35, procMount_restricted replaces this check and keeps the strict rule.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asString,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  SECURITY_CONTEXT_DOCS,
  scPath,
} from "./check.ts";
import { containerList, joinQuote, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

/** The v1.0 rule: any procMount other than Default is forbidden. Shared with procMount_restricted. */
export function strictProcMount(ctx: PssContext): PssCheckResult | undefined {
  const bad: string[] = [];
  const values: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    const value = asString(c.sc?.procMount);
    if (value === undefined || value === "Default") continue;
    bad.push(c.name);
    values.push(value);
    paths.push(scPath(c, "procMount"));
  }
  if (bad.length === 0) return undefined;
  return {
    reason: "procMount",
    detail: `${containerList(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(values))}`,
    paths,
  };
}

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return strictProcMount(ctx);
}

function evaluate1_35(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  if (ctx.userNamespace) return undefined;
  return strictProcMount(ctx);
}

/** PSS `procMount`: forbids unmasked /proc mounts outside user namespaces. */
export const procMount: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.proc-mount",
    scope: "pss",
    pssCheck: "procMount",
    pssLevel: "baseline",
    title: "Containers must use the default /proc mount",
    severity: "medium",
    description:
      "Reads each container's securityContext.procMount. It must be unset or Default; Unmasked exposes " +
      "the host's /proc. From policy v1.35 a pod with spec.hostUsers: false (its own user namespace) may " +
      "use any value.",
    remediation:
      "Remove securityContext.procMount or set it to Default, or run the pod in a user namespace " +
      "with spec.hostUsers: false.",
    references: [
      PSS_DOCS,
      SECURITY_CONTEXT_DOCS,
      {
        title: "Use a User Namespace With a Pod",
        url: "https://kubernetes.io/docs/tasks/configure-pod-container/user-namespaces/",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "procMount",
      "pss-restricted": "procMount",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 0, evaluate: evaluate1_0 },
    { minVersion: 35, evaluate: evaluate1_35 },
  ],
};
