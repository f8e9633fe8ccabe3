/**
 * PSS `windowsHostProcess` (baseline, v1.0).
 * Restricted fields: spec.securityContext.windowsOptions.hostProcess and each container's
 * securityContext.windowsOptions.hostProcess. Allowed values: unset or false. Applies to every pod,
 * whatever spec.os says.
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
import { setters } from "./format.ts";
import type { PssPod } from "./types.ts";

function hostProcess(sc: unknown): boolean {
  return asObject(asObject(sc)?.windowsOptions)?.hostProcess === true;
}

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const paths: Path[] = [];
  const podBad = hostProcess(ctx.podSc);
  if (podBad) paths.push(podScPath("windowsOptions", "hostProcess"));
  const bad: string[] = [];
  for (const c of ctx.containers) {
    if (!hostProcess(c.sc)) continue;
    bad.push(c.name);
    paths.push(scPath(c, "windowsOptions", "hostProcess"));
  }
  if (paths.length === 0) return undefined;
  return {
    reason: "hostProcess",
    detail: `${setters(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true`,
    paths,
  };
}

/** PSS `windowsHostProcess`: forbids Windows HostProcess containers. */
export const windowsHostProcess: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.windows-host-process",
    scope: "pss",
    pssCheck: "windowsHostProcess",
    pssLevel: "baseline",
    title: "Windows HostProcess containers are forbidden",
    severity: "critical",
    description:
      "Reads spec.securityContext.windowsOptions.hostProcess and each container's " +
      "securityContext.windowsOptions.hostProcess. They must be unset or false; a HostProcess container " +
      "runs directly on the Windows node with host access.",
    remediation: "Remove windowsOptions.hostProcess or set it to false at pod and container level.",
    references: [
      PSS_DOCS,
      {
        title: "Create a Windows HostProcess Pod",
        url: "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "windowsHostProcess",
      "pss-restricted": "windowsHostProcess",
      cis: "5.2.11",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
