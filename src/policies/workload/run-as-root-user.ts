/**
 * workload.run-as-root-user: a container explicitly set to run as UID 0. PSS only forbids this at the
 * restricted level; this check reports it at every level. Reads `securityContext.runAsUser` of the pod
 * and of every container (a container's value overrides the pod's).
 */

import {
  describeContainer,
  describeResource,
  POD_TEMPLATE_KINDS,
  podContainers,
  podSpecPath,
} from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { asObject } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import { CIS_BENCHMARK, NSA_GUIDE, SECURITY_CONTEXT_DOCS } from "./util.ts";

export const runAsRootUser = defineCheck({
  id: "workload.run-as-root-user",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Container runs as UID 0",
  severity: "high",
  description:
    "Reads `spec.securityContext.runAsUser` and each init, regular and ephemeral container's `securityContext.runAsUser`. Fails on an explicit `0`: for a container that sets it, and for the pod when at least one container inherits it (sets no runAsUser of its own). Reported whatever PSS level the scan asks for; at the restricted level the PSS runAsUser check reports the same field. A root user that only the image sets (no runAsUser) is not visible in the manifest and is left to PSS runAsNonRoot.",
  remediation:
    "Set securityContext.runAsUser to a non-zero UID (and runAsNonRoot: true), and build the image to run as that user.",
  references: [SECURITY_CONTEXT_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "pod-security", cis: "5.2.7", "microservices-hardening": "1-pod-security" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const spec = resource.pod?.spec;
    if (!spec) return [];
    const who = describeResource(resource);
    const out: RawFinding[] = [];
    const inheriting: string[] = [];
    const podRoot = asObject(spec.securityContext)?.runAsUser === 0;
    for (const c of podContainers(resource)) {
      const own = asObject(c.container.securityContext)?.runAsUser;
      if (own === 0) {
        out.push({
          resource,
          path: [...c.path, "securityContext", "runAsUser"],
          message: `${who} ${describeContainer(c)} sets securityContext.runAsUser=0`,
        });
      } else if (podRoot && typeof own !== "number") {
        inheriting.push(`"${c.name}"`);
      }
    }
    if (inheriting.length > 0) {
      out.unshift({
        resource,
        path: [...podSpecPath(resource), "securityContext", "runAsUser"],
        message: `${who} sets securityContext.runAsUser=0 for the pod (inherited by ${
          inheriting.length === 1 ? "container" : "containers"
        } ${inheriting.join(", ")})`,
      });
    }
    return out;
  },
});
