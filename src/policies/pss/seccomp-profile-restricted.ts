/**
 * PSS `seccompProfile_restricted` (restricted, v1.19 / v1.25; overrides seccompProfile_baseline).
 * Restricted fields: spec.securityContext.seccompProfile.type and each container's
 * securityContext.seccompProfile.type. Allowed values: RuntimeDefault or Localhost, set on every
 * container or once at pod level. Explicitly bad values are reported before missing ones.
 * v1.25+: Windows pods (spec.os.name: windows) are exempt.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asObject,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
  podScPath,
  scPath,
} from "./check.ts";
import { containerList, joinQuote, setters, sortedSet } from "./format.ts";
import { badSeccompType, SECCOMP_DOCS } from "./seccomp-profile-baseline.ts";
import type { PssPod } from "./types.ts";

function evaluate1_19(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const badValues: string[] = [];
  const explicitPaths: Path[] = [];
  const podProfile = ctx.podSc?.seccompProfile;
  const podType = badSeccompType(podProfile);
  if (podType !== undefined) {
    badValues.push(podType);
    explicitPaths.push(podScPath("seccompProfile", "type"));
  }
  const podValid = podType === undefined && asObject(podProfile) !== undefined;
  const explicit: string[] = [];
  const implicit: string[] = [];
  const implicitPaths: Path[] = [];
  for (const c of ctx.containers) {
    const profile = c.sc?.seccompProfile;
    if (asObject(profile)) {
      const type = badSeccompType(profile);
      if (type === undefined) continue;
      explicit.push(c.name);
      badValues.push(type);
      explicitPaths.push(scPath(c, "seccompProfile", "type"));
    } else if (!podValid) {
      implicit.push(c.name);
      implicitPaths.push(scPath(c, "seccompProfile", "type"));
    }
  }
  if (explicitPaths.length > 0) {
    return {
      reason: "seccompProfile",
      detail: `${setters(podType !== undefined, explicit)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
      paths: explicitPaths,
    };
  }
  if (implicit.length > 0) {
    return {
      reason: "seccompProfile",
      detail: `pod or ${containerList(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      paths: implicitPaths,
    };
  }
  return undefined;
}

function evaluate1_25(pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return ctx.windows ? undefined : evaluate1_19(pod, ctx);
}

const OVERRIDES = ["seccompProfile_baseline"] as const;

/** PSS `seccompProfile_restricted`: requires a RuntimeDefault or Localhost seccomp profile. */
export const seccompProfileRestricted: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.seccomp-profile-restricted",
    scope: "pss",
    pssCheck: "seccompProfile_restricted",
    pssLevel: "restricted",
    title: "Seccomp profile must be RuntimeDefault or Localhost",
    severity: "low",
    description:
      "Reads spec.securityContext.seccompProfile.type and each container's securityContext.seccompProfile.type. " +
      "Every container must have RuntimeDefault or Localhost, set on the container or inherited from the pod " +
      "level; Unconfined and unset are forbidden. Annotations are not read. Policy v1.19+; from v1.25 Windows " +
      "pods (spec.os.name: windows) are exempt.",
    remediation:
      "Set spec.securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a profile).",
    references: [PSS_DOCS, SECCOMP_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-restricted": "seccompProfile_restricted",
      cis: "5.7.2",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 19, overrides: OVERRIDES, evaluate: evaluate1_19 },
    { minVersion: 25, overrides: OVERRIDES, evaluate: evaluate1_25 },
  ],
};
