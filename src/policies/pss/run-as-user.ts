/**
 * PSS `runAsUser` (restricted, v1.23 / v1.35).
 * Restricted fields: spec.securityContext.runAsUser and each container's securityContext.runAsUser.
 * Allowed values: unset or any non-zero UID; an explicit 0 fails.
 * v1.35+: a user-namespace pod (spec.hostUsers: false) is exempt, since UID 0 is then unprivileged on the host.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  podScPath,
  SECURITY_CONTEXT_DOCS,
  scPath,
} from "./check.ts";
import { setters } from "./format.ts";
import type { PssPod } from "./types.ts";

function evaluate1_23(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const paths: Path[] = [];
  // Only a number 0 decodes as UID 0; any other type is a decode error, counted as unset.
  const podBad = ctx.podSc?.runAsUser === 0;
  if (podBad) paths.push(podScPath("runAsUser"));
  const bad: string[] = [];
  for (const c of ctx.containers) {
    if (c.sc?.runAsUser !== 0) continue;
    bad.push(c.name);
    paths.push(scPath(c, "runAsUser"));
  }
  if (paths.length === 0) return undefined;
  return { reason: "runAsUser=0", detail: `${setters(podBad, bad)} must not set runAsUser=0`, paths };
}

function evaluate1_35(pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return ctx.userNamespace ? undefined : evaluate1_23(pod, ctx);
}

/** PSS `runAsUser`: forbids running as UID 0. */
export const runAsUser: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.run-as-user",
    scope: "pss",
    pssCheck: "runAsUser",
    pssLevel: "restricted",
    title: "Containers must not run as UID 0",
    severity: "medium",
    description:
      "Reads spec.securityContext.runAsUser and each container's securityContext.runAsUser. They must be " +
      "unset or non-zero; an explicit 0 runs the container as root. Policy v1.23+; from v1.35 pods with " +
      "spec.hostUsers: false are exempt.",
    remediation: "Remove runAsUser: 0, or set runAsUser to a non-zero UID at pod and container level.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-restricted": "runAsUser",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 23, evaluate: evaluate1_23 },
    { minVersion: 35, evaluate: evaluate1_35 },
  ],
};
