/**
 * workload.automount-service-account-token: the pod gets a Kubernetes API token it may not need.
 * Reads `automountServiceAccountToken` of the pod spec, then of its ServiceAccount when the input
 * has it (the pod's field wins over the ServiceAccount's, as in the kubelet).
 */

import { describeResource, POD_TEMPLATE_KINDS, podSpecPath } from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { defineCheck } from "../types.ts";
import { automountOf, CIS_BENCHMARK, NSA_GUIDE, serviceAccountIndex, serviceAccountOf } from "./util.ts";

export const automountServiceAccountToken = defineCheck({
  id: "workload.automount-service-account-token",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Service account token automounted",
  severity: "medium",
  description:
    "Reads the pod spec's `automountServiceAccountToken` and, when it is unset, the same field of the pod's ServiceAccount (`serviceAccountName`, else `default`, in the pod's namespace) if the input contains it. Passes when the pod sets `false`, or leaves it unset and its ServiceAccount sets `false`. Fails (medium) when neither sets `false` or the ServiceAccount is not in the input, since Kubernetes then mounts a token into every container; an explicit `true` on the pod is a deliberate opt-in and is reported at low severity so it can be reviewed or exempted.",
  remediation:
    "Set automountServiceAccountToken: false on the pod spec or its ServiceAccount, and mount a projected serviceAccountToken volume only in pods that call the Kubernetes API.",
  references: [
    {
      title: "Opt out of API credential automounting",
      url: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
    },
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: {
    "nsa-cisa": "service-account-tokens",
    cis: "5.1.6",
    "microservices-hardening": "5-least-privilege",
  },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const spec = resource.pod?.spec;
    if (!spec) return [];
    const path = [...podSpecPath(resource), "automountServiceAccountToken"];
    const own = automountOf(spec);
    if (own === false) return [];
    const who = describeResource(resource);
    if (own === true) {
      return [
        {
          resource,
          path,
          severity: "low",
          message: `${who} sets automountServiceAccountToken=true (keep it only if the pod calls the Kubernetes API)`,
        },
      ];
    }
    const sa = serviceAccountOf(spec);
    const account = serviceAccountIndex(ctx.inventory).get(resource.namespace, sa.name);
    if (!account) {
      return [
        {
          resource,
          path,
          message: `${who} does not set automountServiceAccountToken=false and its ServiceAccount "${sa.name}" is not in the input`,
        },
      ];
    }
    const fromAccount = automountOf(account.object);
    if (fromAccount === false) return [];
    return [
      {
        resource,
        path,
        message:
          fromAccount === true
            ? `${who} does not set automountServiceAccountToken=false and its ServiceAccount "${sa.name}" sets automountServiceAccountToken=true`
            : `${who} does not set automountServiceAccountToken=false, nor does its ServiceAccount "${sa.name}"`,
      },
    ];
  },
});
