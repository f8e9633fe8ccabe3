/**
 * PSS `runAsNonRoot` (restricted, v1.0 / v1.35).
 * Restricted fields: spec.securityContext.runAsNonRoot and each container's
 * securityContext.runAsNonRoot. Allowed value: true, on every container or at pod level; an explicit
 * false fails anywhere, even when every container sets true. runAsUser is not consulted.
 * v1.35+: a user-namespace pod (spec.hostUsers: false) is exempt.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asBool,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  podScPath,
  SECURITY_CONTEXT_DOCS,
  scPath,
} from "./check.ts";
import { containerList, setters } from "./format.ts";
import type { PssPod } from "./types.ts";

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const podValue = asBool(ctx.podSc?.runAsNonRoot);
  const podBad = podValue === false;
  const explicitPaths: Path[] = [];
  if (podBad) explicitPaths.push(podScPath("runAsNonRoot"));
  const explicit: string[] = [];
  const implicit: string[] = [];
  const implicitPaths: Path[] = [];
  for (const c of ctx.containers) {
    const value = asBool(c.sc?.runAsNonRoot);
    if (value === false) {
      explicit.push(c.name);
      explicitPaths.push(scPath(c, "runAsNonRoot"));
    } else if (value === undefined && podValue !== true) {
      implicit.push(c.name);
      implicitPaths.push(scPath(c, "runAsNonRoot"));
    }
  }
  // Explicit false wins: the implicit containers are then not mentioned.
  if (explicitPaths.length > 0) {
    return {
      reason: "runAsNonRoot != true",
      detail: `${setters(podBad, explicit)} must not set securityContext.runAsNonRoot=false`,
      paths: explicitPaths,
    };
  }
  if (implicit.length > 0) {
    return {
      reason: "runAsNonRoot != true",
      detail: `pod or ${containerList(implicit)} must set securityContext.runAsNonRoot=true`,
      paths: implicitPaths,
    };
  }
  return undefined;
}

function evaluate1_35(pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return ctx.userNamespace ? undefined : evaluate1_0(pod, ctx);
}

/** PSS `runAsNonRoot`: requires runAsNonRoot=true for every container. */
export const runAsNonRoot: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.run-as-non-root",
    scope: "pss",
    pssCheck: "runAsNonRoot",
    pssLevel: "restricted",
    title: "Containers must run as non-root",
    severity: "medium",
    description:
      "Reads spec.securityContext.runAsNonRoot and each container's securityContext.runAsNonRoot. Every " +
      "container must have true, set on the container or inherited from the pod level; false is forbidden " +
      "anywhere. A non-zero runAsUser does not satisfy it. Windows pods are not exempt; from policy v1.35 " +
      "pods with spec.hostUsers: false are.",
    remediation:
      "Set spec.securityContext.runAsNonRoot to true and remove runAsNonRoot: false from containers.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-restricted": "runAsNonRoot",
      cis: "5.2.7",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 0, evaluate: evaluate1_0 },
    { minVersion: 35, evaluate: evaluate1_35 },
  ],
};
