/**
 * workload.missing-resource-requests: a container without CPU or memory requests is scheduled as if
 * it needed nothing and is evicted first under pressure. Reads each container's `resources.requests`
 * (and `resources.limits`, which a missing request defaults to), and the namespace's LimitRange defaults.
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

export const missingResourceRequests = defineCheck({
  id: "workload.missing-resource-requests",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Container without CPU or memory requests",
  severity: "low",
  description:
    "Reads `resources.requests.cpu` and `resources.requests.memory` of every init and regular container. A request counts as set when it is a non-empty quantity, when the container sets the matching limit (Kubernetes copies a limit into a missing request), or when a LimitRange in the input gives the namespace a `defaultRequest` or `default` for it (`spec.limits[]` with `type: Container`). One finding per missing request.",
  remediation:
    "Set resources.requests.cpu and resources.requests.memory on every container from its observed usage, or give the namespace a LimitRange with defaultRequest values.",
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
      const resources = asObject(c.container.resources);
      for (const name of RESOURCE_NAMES) {
        if (hasQuantity(resources?.requests, name) || hasQuantity(resources?.limits, name)) continue;
        if (defaults(resource.namespace, "request", name) || defaults(resource.namespace, "limit", name))
          continue;
        out.push({
          resource,
          path: [...c.path, "resources", "requests", name],
          message: `${describeResource(resource)} ${describeContainer(c)} does not set resources.requests.${name}`,
        });
      }
    }
    return out;
  },
});
