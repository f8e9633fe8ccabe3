/**
 * workload.missing-resource-limits: a container without CPU or memory limits can starve its node
 * (a noisy neighbour or a denial of service). Reads each container's `resources.limits`, and the
 * namespace's LimitRange defaults when the input has them.
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
import { hasQuantity, limitRangeDefaults, NSA_GUIDE, RESOURCE_NAMES } from "./util.ts";

export const missingResourceLimits = defineCheck({
  id: "workload.missing-resource-limits",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Container without CPU or memory limits",
  severity: "medium",
  description:
    "Reads `resources.limits.cpu` and `resources.limits.memory` of every init and regular container (ephemeral containers cannot set resources); each must be a non-empty quantity. A limit that a LimitRange in the input fills in for the container's namespace (`spec.limits[]` with `type: Container` and `default.cpu` / `default.memory`) counts as set. One finding per missing limit.",
  remediation:
    "Set resources.limits.memory and resources.limits.cpu on every container, or give the namespace a LimitRange with default limits and a ResourceQuota.",
  references: [
    {
      title: "Resource Management for Pods and Containers",
      url: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    },
    { title: "Limit Ranges", url: "https://kubernetes.io/docs/concepts/policy/limit-range/" },
    NSA_GUIDE,
  ],
  frameworks: { "nsa-cisa": "resource-policies" },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const defaults = limitRangeDefaults(ctx.inventory);
    const out: RawFinding[] = [];
    for (const c of podContainers(resource, ["initContainers", "containers"])) {
      const limits = asObject(c.container.resources)?.limits;
      for (const name of RESOURCE_NAMES) {
        if (hasQuantity(limits, name) || defaults(resource.namespace, "limit", name)) continue;
        out.push({
          resource,
          path: [...c.path, "resources", "limits", name],
          message: `${describeResource(resource)} ${describeContainer(c)} does not set resources.limits.${name}`,
        });
      }
    }
    return out;
  },
});
