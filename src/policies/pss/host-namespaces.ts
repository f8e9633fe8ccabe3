/**
 * PSS `hostNamespaces` (baseline, v1.0).
 * Restricted fields: spec.hostNetwork, spec.hostPID, spec.hostIPC. Allowed values: unset or false.
 * These are plain booleans in the API, so null and absent both mean false.
 */
import type { Path } from "../../ingest/types.ts";
import { defineCheck } from "../types.ts";
import {
  PSA_LIBRARY,
  PSS_DOCS,
  type PssCheckDefinition,
  type PssCheckResult,
  type PssContext,
} from "./check.ts";
import type { PssPod } from "./types.ts";

// The library reports them in this fixed order.
const FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

function evaluate1_0(_pod: PssPod, ctx: PssContext): PssCheckResult | undefined {
  let detail = "";
  const paths: Path[] = [];
  for (const field of FIELDS) {
    if (ctx.spec[field] !== true) continue;
    detail += detail === "" ? `${field}=true` : `, ${field}=true`;
    paths.push(["spec", field]);
  }
  if (paths.length === 0) return undefined;
  return { reason: "host namespaces", detail, paths };
}

/** PSS `hostNamespaces`: forbids sharing the host's network, PID or IPC namespace. */
export const hostNamespaces: PssCheckDefinition = {
  meta: defineCheck({
    id: "pss.host-namespaces",
    scope: "pss",
    pssCheck: "hostNamespaces",
    pssLevel: "baseline",
    title: "Pods must not share host namespaces",
    severity: "high",
    description:
      "Reads spec.hostNetwork, spec.hostPID and spec.hostIPC. Each must be unset or false; true shares " +
      "the node's network, process or IPC namespace with the pod.",
    remediation: "Remove spec.hostNetwork, spec.hostPID and spec.hostIPC, or set them to false.",
    references: [
      PSS_DOCS,
      {
        title: "Pod v1 core: hostNetwork, hostPID, hostIPC",
        url: "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec",
      },
      PSA_LIBRARY,
    ],
    frameworks: {
      "pss-baseline": "hostNamespaces",
      "pss-restricted": "hostNamespaces",
      cis: "5.2.3",
      "nsa-cisa": "pod-security",
      "microservices-hardening": "1-pod-security",
    },
  }),
  revisions: [{ minVersion: 0, evaluate: evaluate1_0 }],
};
