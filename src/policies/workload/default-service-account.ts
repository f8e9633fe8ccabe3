/**
 * workload.default-service-account: pods that run as their namespace's `default` ServiceAccount share
 * one identity, so any role bound to it is granted to every such pod. Reads `serviceAccountName`
 * (and the deprecated `serviceAccount`).
 */

import { describeResource, POD_TEMPLATE_KINDS, podSpecPath } from "../common/containers.ts";
import { controlledByWorkload } from "../common/controlled.ts";
import { defineCheck } from "../types.ts";
import { automountOf, CIS_BENCHMARK, NSA_GUIDE, serviceAccountIndex, serviceAccountOf } from "./util.ts";

export const defaultServiceAccount = defineCheck({
  id: "workload.default-service-account",
  scope: "resource",
  kinds: POD_TEMPLATE_KINDS,
  title: "Pod uses the default service account",
  severity: "medium",
  description:
    "Reads the pod spec's `serviceAccountName` (else the deprecated `serviceAccount`). Fails when it is absent, empty or `default`. The finding is low instead of medium when no token is mounted: the pod sets `automountServiceAccountToken: false`, or leaves it unset and the `default` ServiceAccount in the input sets it to `false`.",
  remediation:
    "Create a dedicated ServiceAccount for each workload, set serviceAccountName to it, and bind it only the roles it needs.",
  references: [
    {
      title: "Service Accounts: default service accounts",
      url: "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
    },
    NSA_GUIDE,
    CIS_BENCHMARK,
  ],
  frameworks: {
    "nsa-cisa": "service-account-tokens",
    cis: "5.1.5",
    "microservices-hardening": "5-least-privilege",
  },
  evaluate(resource, ctx) {
    if (controlledByWorkload(resource, ctx.inventory)) return [];
    const spec = resource.pod?.spec;
    if (!spec) return [];
    const sa = serviceAccountOf(spec);
    if (sa.name !== "default") return [];
    const own = automountOf(spec);
    const account = serviceAccountIndex(ctx.inventory).get(resource.namespace, "default");
    const noToken = own === false || (own === undefined && automountOf(account?.object) === false);
    return [
      {
        resource,
        path: [...podSpecPath(resource), sa.field],
        message: sa.explicit
          ? `${describeResource(resource)} sets ${sa.field}="default"`
          : `${describeResource(resource)} does not set serviceAccountName and runs as the "default" ServiceAccount`,
        ...(noToken ? { severity: "low" as const } : {}),
      },
    ];
  },
});
