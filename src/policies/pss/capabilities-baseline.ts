/**
 * PSS `capabilities_baseline` (baseline, v1.0).
 * Restricted field: each container's securityContext.capabilities.add[*]. Allowed values, exactly and
 * case-sensitively: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE,
 * SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT. `drop` is not read. At restricted from v1.22,
 * capabilities_restricted replaces this check.
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

const ALLOWED_1_0: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const badContainers: string[] = [];
  const badCaps: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    const add = asArray(asObject(c.sc?.capabilities)?.add);
    if (!add) continue;
    let first = -1;
    for (let i = 0; i < add.length; i++) {
      // A non-string entry is a type error; Go would not decode the pod, so it counts for nothing here.
      const cap = asString(add[i]);
      if (cap === undefined || ALLOWED_1_0.has(cap)) continue;
      if (first < 0) first = i;
      badCaps.push(cap);
    }
    if (first < 0) continue;
    badContainers.push(c.name);
    paths.push(scPath(c, "capabilities", "add", first));
  }
  if (badContainers.length === 0) return undefined;
  return {
    reason: "non-default capabilities",
    detail: `${containerList(badContainers)} must not include ${joinQuote(sortedSet(badCaps))} in securityContext.capabilities.add`,
    paths,
  };
}

/** PSS `capabilities_baseline`: forbids adding capabilities beyond the container runtime defaults. */
export const capabilitiesBaseline: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.capabilities-baseline",
    scope: "pss",
    pssCheck: "capabilities_baseline",
    pssLevel: "baseline",
    title: "Containers must not add non-default capabilities",
    severity: "high",
    description:
      "Reads each container's securityContext.capabilities.add. Only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, " +
      "FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may " +
      "be added, spelled exactly so (no CAP_ prefix, upper case). Anything else, including ALL, is forbidden.",
    remediation:
      "Remove every capability from securityContext.capabilities.add that is not in the default set, " +
      "and grant the workload only what it needs.",
    references: [PSS_DOCS, SECURITY_CONTEXT_DOCS, PSA_LIBRARY],
    frameworks: {
      "pss-baseline": "capabilities_baseline",
      "pss-restricted": "capabilities_baseline",
      cis: "5.2.9",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
