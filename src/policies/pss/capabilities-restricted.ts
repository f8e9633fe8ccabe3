/**
 * PSS `capabilities_restricted` (restricted, v1.22 / v1.25; overrides capabilities_baseline).
 * Restricted fields: each container's securityContext.capabilities.drop, which must contain exactly
 * "ALL", and securityContext.capabilities.add, which may contain only NET_BIND_SERVICE.
 * A container without a capabilities object is missing drop ALL and its add list is not examined.
 * v1.25+: Windows pods (spec.os.name: windows) are exempt.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asArray,
  asObject,
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

function evaluate1_22(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const forbiddenCaps: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    const caps = asObject(c.sc?.capabilities);
    if (!caps) {
      missingDrop.push(c.name);
      paths.push(scPath(c, "capabilities", "drop"));
      continue;
    }
    if (!asArray(caps.drop)?.includes("ALL")) {
      missingDrop.push(c.name);
      paths.push(scPath(c, "capabilities", "drop"));
    }
    const add = asArray(caps.add);
    if (!add) continue;
    let first = -1;
    for (let i = 0; i < add.length; i++) {
      const cap = asString(add[i]);
      if (cap === undefined || cap === "NET_BIND_SERVICE") continue;
      if (first < 0) first = i;
      forbiddenCaps.push(cap);
    }
    if (first < 0) continue;
    adding.push(c.name);
    paths.push(scPath(c, "capabilities", "add", first));
  }
  if (missingDrop.length === 0 && adding.length === 0) return undefined;
  const parts: string[] = [];
  if (missingDrop.length > 0)
    parts.push(`${containerList(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length > 0) {
    parts.push(
      `${containerList(adding)} must not include ${joinQuote(sortedSet(forbiddenCaps))} in securityContext.capabilities.add`,
    );
  }
  return { reason: "unrestricted capabilities", detail: parts.join("; "), paths };
}

function evaluate1_25(pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  return ctx.windows ? undefined : evaluate1_22(pod, ctx);
}

const OVERRIDES = ["capabilities_baseline"] as const;

/** PSS `capabilities_restricted`: requires dropping ALL capabilities and adding at most NET_BIND_SERVICE. */
export const capabilitiesRestricted: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.capabilities-restricted",
    scope: "pss",
    pssCheck: "capabilities_restricted",
    pssLevel: "restricted",
    title: "Containers must drop ALL capabilities",
    severity: "high",
    description:
      'Reads each container\'s securityContext.capabilities.drop and .add. drop must contain "ALL" ' +
      "(dropping each capability by name does not count) and add may contain only NET_BIND_SERVICE. " +
      "Policy v1.22+, replacing capabilities_baseline at restricted; from v1.25 Windows pods are exempt.",
    remediation:
      'Set securityContext.capabilities.drop to ["ALL"] on every container and add back at most NET_BIND_SERVICE.',
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-restricted": "capabilities_restricted",
      cis: "5.2.10",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [
    { minVersion: 22, overrides: OVERRIDES, evaluate: evaluate1_22 },
    { minVersion: 25, overrides: OVERRIDES, evaluate: evaluate1_25 },
  ],
};
