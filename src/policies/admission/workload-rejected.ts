/**
 * admission.workload-rejected: workloads that the namespace's Pod Security enforce label would
 * reject, evaluated at that namespace's level and version with the PSS evaluator, so a scan tells
 * what the cluster will refuse. Admission rejects Pods; pod controllers are admitted with a warning
 * and the Pods they create are rejected (SPEC §2.1), so the controller is reported for its pods.
 */

import type { Resource } from "../../ingest/types.ts";
import { perInventory } from "../common/inventory.ts";
import { namespaceOf, runningWorkloads } from "../common/workloads.ts";
import { evaluatePss, formatPssMessage } from "../pss/index.ts";
import type { Inventory, RawFinding } from "../types.ts";
import { defineCheck } from "../types.ts";
import { CIS_BENCHMARK, type EnforcePolicy, enforcePolicy, NSA_GUIDE, PSA_DOCS, PSS_DOCS } from "./util.ts";

interface Target {
  workload: Resource;
  namespace: string;
  policy: EnforcePolicy;
}

/** Workloads whose Namespace object is in the input and enforces more than privileged. */
const targets: (inventory: Inventory) => readonly Target[] = perInventory((inventory) => {
  const policies = new Map<string, EnforcePolicy>();
  for (const ns of inventory.byKind("Namespace"))
    if (!policies.has(ns.name)) policies.set(ns.name, enforcePolicy(ns));
  const out: Target[] = [];
  for (const workload of runningWorkloads(inventory)) {
    const namespace = namespaceOf(workload);
    const policy = policies.get(namespace);
    if (policy && policy.level !== "privileged") out.push({ workload, namespace, policy });
  }
  return out;
});

export const workloadRejected = defineCheck({
  id: "admission.workload-rejected",
  scope: "cluster",
  title: "Workload rejected by its namespace's Pod Security enforce level",
  severity: "high",
  description:
    'For every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob; no `metadata.namespace` means `default`; in a snapshot, pods whose controller is in the input are counted through it) whose Namespace object is in the input, reads the namespace labels `pod-security.kubernetes.io/enforce` and `enforce-version` and evaluates the pod template at that level and version exactly as Pod Security admission does (an invalid level falls back to `restricted`, an invalid or absent version to `latest`; no enforce label means `privileged`, which admits everything). Fails when admission would reject the pod; the message is the admission controller\'s `violates PodSecurity "<level>:<version>": …` text and the path points at the first offending field. Exemptions configured on the API server (usernames, runtime classes, namespaces) are not visible and not applied.',
  remediation:
    "Fix the pod template so it meets the namespace's Pod Security level (see the violations in the message), or, if the workload really needs more, move it to a namespace with a deliberately lower level.",
  references: [PSA_DOCS, PSS_DOCS, NSA_GUIDE, CIS_BENCHMARK],
  frameworks: { "nsa-cisa": "admission", cis: "5.2.1", "microservices-hardening": "1-pod-security" },
  applies: (ctx) => targets(ctx.inventory).length > 0,
  evaluate(ctx) {
    const out: RawFinding[] = [];
    for (const { workload, namespace, policy } of targets(ctx.inventory)) {
      const pod = workload.pod;
      if (!pod) continue;
      const result = evaluatePss({ metadata: pod.metadata, spec: pod.spec }, policy.level, policy.version);
      if (result.allowed) continue;
      const first = result.violations[0]?.paths[0] ?? ["spec"];
      const note = policy.invalidLevel ? 'its invalid enforce label falls back to "restricted"' : "";
      const who =
        workload.kind === "Pod"
          ? `Pod "${workload.name}" would be rejected in namespace "${namespace}"${note ? ` (${note})` : ""}`
          : `${workload.kind} "${workload.name}" would have its pods rejected in namespace "${namespace}" (the ${workload.kind} itself is admitted with a warning${note ? `; ${note}` : ""})`;
      out.push({
        resource: workload,
        path: [...pod.path, ...first],
        message: `${who}: ${formatPssMessage(policy.level, policy.version, result.message)}`,
      });
    }
    return out;
  },
});
