/** The `rbac` module: its checks, registered explicitly in order. */
import type { Check } from "../types.ts";
import { clusterAdminBinding } from "./cluster-admin-binding.ts";
import { createWorkloads } from "./create-workloads.ts";
import { defaultServiceAccountBinding } from "./default-service-account-binding.ts";
import { nodesProxy } from "./nodes-proxy.ts";
import { podExecAttach } from "./pod-exec-attach.ts";
import { privilegeEscalationVerbs } from "./privilege-escalation-verbs.ts";
import { publicSubjectBinding } from "./public-subject-binding.ts";
import { secretsRead } from "./secrets-read.ts";
import { serviceaccountTokenCreate } from "./serviceaccount-token-create.ts";
import { wildcardApiGroups } from "./wildcard-api-groups.ts";
import { wildcardResources } from "./wildcard-resources.ts";
import { wildcardVerbs } from "./wildcard-verbs.ts";

export const rbacChecks: Check[] = [
  wildcardVerbs,
  wildcardResources,
  wildcardApiGroups,
  clusterAdminBinding,
  publicSubjectBinding,
  secretsRead,
  privilegeEscalationVerbs,
  podExecAttach,
  nodesProxy,
  serviceaccountTokenCreate,
  createWorkloads,
  defaultServiceAccountBinding,
];
