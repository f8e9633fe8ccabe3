/**
 * workload.writable-root-filesystem: a container can write to its image's filesystem, so an attacker
 * can drop tools or change binaries. Reads each container's `securityContext.readOnlyRootFilesystem`.
 */

import {
  describeContainer,
  describeResource,
  POD_TEMPLATE_KINDS,
  podContainers,
} from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { asObject } from "../common/objects.ts";
import { defineCheck, type RawFinding } from "../types.ts";
import { CIS_BENCHMARK, isWindowsPod, NSA_GUIDE, SECURITY_CONTEXT_DOCS } from "./util.ts";

export const writableRootFilesystem = defineCheck({
  id: "workload.writable-root-filesystem",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Writable root filesystem",
  severity: "medium",
  description:
    "Reads `securityContext.readOnlyRootFilesystem` of every init, regular and ephemeral container; only `true` passes (there is no pod-level field). Windows pods (`spec.os.name: windows`) are skipped: Windows does not support a read-only root filesystem.",
  remediation:
    "Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir volume where the application must write (for example /tmp).",
  references: [SECURITY_CONTEXT_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "pod-security", cis: "5.7.3", "microservices-hardening": "1-pod-security" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const spec = resource.pod?.spec;
    if (!spec || isWindowsPod(spec)) return [];
    const out: RawFinding[] = [];
    for (const c of podContainers(resource)) {
      const value = asObject(c.container.securityContext)?.readOnlyRootFilesystem;
      if (value === true) continue;
      out.push({
        resource,
        path: [...c.path, "securityContext", "readOnlyRootFilesystem"],
        message: `${describeResource(resource)} ${describeContainer(c)} ${
          value === false ? "sets" : "does not set"
        } securityContext.readOnlyRootFilesystem=${value === false ? "false" : "true"}`,
      });
    }
    return out;
  },
});
