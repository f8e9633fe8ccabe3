/**
 * PSS `hostPorts` (baseline, v1.0).
 * Restricted field: each container's ports[*].hostPort. Allowed values: unset or 0. The message lists
 * the distinct ports sorted as strings ("10000" before "8080"), as the library does.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  asArray,
  asInteger,
  asObject,
  containerPath,
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
} from "./check.ts";
import { containerList, pluralize, sortedSet } from "./format.ts";
import type { PssPod } from "./types.ts";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  const badContainers: string[] = [];
  const ports: string[] = [];
  const paths: Path[] = [];
  for (const c of ctx.containers) {
    const list = asArray(c.obj.ports);
    if (!list) continue;
    let first = -1;
    for (let i = 0; i < list.length; i++) {
      const hostPort = asInteger(asObject(list[i])?.hostPort);
      // hostPort is an int32; a value outside that range does not decode, so it counts as unset.
      if (hostPort === undefined || hostPort === 0 || hostPort < INT32_MIN || hostPort > INT32_MAX) continue;
      if (first < 0) first = i;
      ports.push(String(hostPort));
    }
    if (first < 0) continue;
    badContainers.push(c.name);
    paths.push(containerPath(c, "ports", first, "hostPort"));
  }
  if (badContainers.length === 0) return undefined;
  const distinct = sortedSet(ports);
  const k = badContainers.length;
  return {
    reason: "hostPort",
    detail: `${containerList(badContainers)} ${pluralize("uses", "use", k)} ${pluralize("hostPort", "hostPorts", distinct.length)} ${distinct.join(", ")}`,
    paths,
  };
}

/** PSS `hostPorts`: forbids binding container ports on the node. */
export const hostPorts: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.host-ports",
    scope: "pss",
    pssCheck: "hostPorts",
    pssLevel: "baseline",
    title: "Containers must not use host ports",
    severity: "medium",
    description:
      "Reads each container's ports[*].hostPort (init, regular and ephemeral containers). It must be unset " +
      "or 0; any other value binds the port on the node and bypasses network policy.",
    remediation:
      "Remove hostPort from the container ports and expose the workload through a Service instead.",
    references: [
      PSS_DOCS,
      {
        title: "Configuration best practices: Services",
        url: "https://kubernetes.io/docs/concepts/configuration/overview/#services",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "hostPorts",
      "pss-restricted": "hostPorts",
      cis: "5.2.13",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
